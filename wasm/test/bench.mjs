// Decode throughput in Node: a 1000-contact fmt=3 list (the real server's layout, every value
// a string, Cyrillic names, some escapes) through decode(), next to JSON.parse of the same body.
// Not a test: scripts/wasm.sh prints its numbers. Usage: node test/bench.mjs [seconds per case]
import { decode } from "smsc-codec-wasm";

const seconds = Number(process.argv[2] ?? "1");
const names = ["Іван Петренко", "Олена Коваленко", 'ТОВ "Ромашка"', "John Smith", "Марія"];
const contacts = [];
for (let i = 0; i < 1000; i++) {
  contacts.push({
    phone: `79${String(100000000 + i * 7919).padStart(9, "0")}`,
    name: names[i % names.length],
    group: String(5922 + (i % 3)),
    first_name: names[i % names.length].split(" ")[0],
    last_name: i % 2 ? "Петренко" : "Smith",
    middle_name: i % 4 ? "" : "Іванович",
    birthday: `${String((i % 28) + 1).padStart(2, "0")}.0${(i % 9) + 1}.19${70 + (i % 30)}`,
    id: String(4000 + i),
    comments: i % 10 ? "" : 'Сказав "так" & <терміново>\nпередзвонити',
    tags: i % 3 ? "vip" : "",
    phone_other: i % 5 ? "" : "+380931234567",
  });
}
// PROTOCOL.md 5.1: a newline after `{` and `[{`, one pair per line, `},\n{` between records.
const body =
  "[" +
  contacts
    .map((c) => "{\n" + Object.entries(c).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n") + "\n}")
    .join(",\n") +
  "]";
const bytes = new TextEncoder().encode(body);

const check = decode("get", body);
if (!check.ok || check.value.length !== 1000 || check.value[0].firstName !== "Іван") throw new Error("bad decode");
if (JSON.parse(body).length !== 1000) throw new Error("bad JSON");

function measure(name, fn) {
  for (let i = 0; i < 20; i++) fn(); // warm up
  const times = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  const mbps = bytes.length / 1e6 / (ms / 1000);
  console.log(`${name.padEnd(44)} ${ms.toFixed(3).padStart(7)} ms/body  ${mbps.toFixed(1).padStart(6)} MB/s  ${Math.round(1000 / ms * 1000).toLocaleString("en").padStart(10)} contacts/s  (median of ${times.length})`);
  return ms;
}

console.log(`body: 1000 contacts, fmt=3, ${bytes.length} bytes; Node ${process.version}`);
const ours = measure('decode("get", string)', () => decode("get", body));
measure('decode("get", Uint8Array)', () => decode("get", bytes));
const json = measure("JSON.parse(string)", () => JSON.parse(body));
measure("JSON.parse(new TextDecoder().decode(bytes))", () => JSON.parse(new TextDecoder().decode(bytes)));
console.log(`decode / JSON.parse: ${(ours / json).toFixed(2)}x the time`);
