// The Node benchmark of smsc-codec-wasm: a 1000-contact list in every fmt (the real server's
// layout; Cyrillic names, quotes, `&`, `<`), decoded from a Uint8Array by `decode`, against
// what a JavaScript user would pick instead, given the same bytes:
//
// | fmt | the alternative | floor (issue 12) |
// |---|---|---|
// | 3 | `JSON.parse(new TextDecoder().decode(bytes))` | 1.0x |
// | 1 | papaparse on the decoded text | 1.5x |
// | 2 | fast-xml-parser on the decoded text | keeps its lead (1.0x) |
// | 0 | a naive split on `\n`, `, ` and ` = ` of the decoded text | keeps its lead (1.0x) |
//
// A ratio is the alternative's median time over ours (above 1: ours is faster). The two sides
// alternate in rounds, so that a noisy neighbour slows both. Not a test: scripts/wasm.sh prints
// the table. Usage: node bench.mjs [seconds per side]
import { XMLParser } from "fast-xml-parser";
import Papa from "papaparse";
import { decode } from "../node.js";

const seconds = Number(process.argv[2] ?? "1");
const names = ["Іван Петренко", "Олена Коваленко", 'ТОВ "Ромашка"', "John Smith", "Марія"];
const FIELDS = ["phone", "name", "group", "first_name", "last_name", "middle_name", "birthday", "id", "comments", "tags", "phone_other"];
const contacts = [];
for (let i = 0; i < 1000; i++) {
  contacts.push([
    `79${String(100000000 + i * 7919).padStart(9, "0")}`,
    names[i % names.length],
    String(5922 + (i % 3)),
    names[i % names.length].split(" ")[0],
    i % 2 ? "Петренко" : "Smith",
    i % 4 ? "" : "Іванович",
    `${String((i % 28) + 1).padStart(2, "0")}.0${(i % 9) + 1}.19${70 + (i % 30)}`,
    String(4000 + i),
    i % 10 ? "" : 'Сказав "так" & <терміново>',
    i % 3 ? "vip" : "",
    i % 5 ? "" : "+380931234567",
  ]);
}
const xml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const bodies = {
  // PROTOCOL.md 5.1: a newline after `{` and `[{`, one pair per line, `},\n{` between records.
  3: "[" + contacts.map((c) => "{\n" + c.map((v, f) => `"${FIELDS[f]}": ${JSON.stringify(v)}`).join(",\n") + "\n}").join(",\n") + "]",
  2: "<list>\n" + contacts.map((c) => "<contact>" + c.map((v, f) => `<${FIELDS[f]}>${xml(v)}</${FIELDS[f]}>`).join("") + "</contact>\n").join("") + "</list>\n",
  1: contacts.map((c) => c.join(",") + "\n").join(""),
  0: contacts.map((c) => c.map((v, f) => `${FIELDS[f]} = ${v}`).join(", ") + "\n").join(""),
};
const encoder = new TextEncoder();
const bytes = Object.fromEntries(Object.entries(bodies).map(([fmt, body]) => [fmt, encoder.encode(body)]));

const xmlParser = new XMLParser({ parseTagValue: false });
const text = (b) => new TextDecoder().decode(b);
const split = (body) =>
  body
    .split("\n")
    .filter(Boolean)
    .map((line) => Object.fromEntries(line.split(", ").map((pair) => pair.split(" = "))));
const cases = [
  { fmt: 3, alt: "JSON.parse(TextDecoder)", floor: 1.0, run: (b) => JSON.parse(text(b)) },
  { fmt: 1, alt: "papaparse", floor: 1.5, run: (b) => Papa.parse(text(b), { skipEmptyLines: true }).data },
  { fmt: 2, alt: "fast-xml-parser", floor: 1.0, run: (b) => xmlParser.parse(text(b)).list.contact },
  { fmt: 0, alt: "naive split", floor: 1.0, run: (b) => split(text(b)) },
];

// Every side must read all 1000 records, and ours the same values from every fmt.
const reference = JSON.stringify(decode("get", bytes[3], { fmt: 3 }).value);
for (const c of cases) {
  const ours = decode("get", bytes[c.fmt], { fmt: c.fmt });
  if (!ours.ok || JSON.stringify(ours.value) !== reference) throw new Error(`fmt=${c.fmt}: decode differs`);
  if (c.run(bytes[c.fmt]).length !== 1000) throw new Error(`fmt=${c.fmt}: ${c.alt} did not read 1000 records`);
}

function median(times) {
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Medians of both sides, timed in alternating rounds of about 50 ms. */
function compare(ours, theirs) {
  for (let i = 0; i < 20; i++) ours(), theirs();
  const a = [];
  const b = [];
  const end = performance.now() + 2 * seconds * 1000;
  while (performance.now() < end) {
    for (const [fn, out] of [[ours, a], [theirs, b]]) {
      const stop = performance.now() + 50;
      while (performance.now() < stop) {
        const t0 = performance.now();
        fn();
        out.push(performance.now() - t0);
      }
    }
  }
  return [median(a), median(b)];
}

console.log(`1000 contacts, decoded from a Uint8Array; Node ${process.version}\n`);
console.log("| fmt | body | decode | alternative | its time | ratio | floor |");
console.log("|---|---:|---:|---|---:|---:|---|");
for (const c of cases) {
  const body = bytes[c.fmt];
  const [ours, theirs] = compare(() => decode("get", body, { fmt: c.fmt }), () => c.run(body));
  const ratio = theirs / ours;
  const verdict = ratio >= c.floor ? "met" : "**missed**";
  console.log(
    `| ${c.fmt} | ${(body.length / 1024).toFixed(0)} KiB | ${ours.toFixed(2)} ms | ${c.alt} | ${theirs.toFixed(2)} ms | ${ratio.toFixed(2)}x | ${c.floor.toFixed(1)}x: ${verdict} |`,
  );
}
