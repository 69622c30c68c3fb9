// Reads the response-body fixtures of the Rust tests (tests/fixtures, see its README.md) into
// the entries that tests/support/expected.js checks. Run as a script, it writes them to
// tests/generated/fixtures.json for the wasm-bindgen tests, which include that file.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
export const wasmDir = join(here, "..", "..");
export const fixturesDir = join(wasmDir, "..", "tests", "fixtures");

/** Every fixture: `{ name, command, options: { fmt, endpoint }, body (base64), jsonl | null }`. */
export function loadFixtures() {
  const out = [];
  for (const endpoint of ["phones", "mails"]) {
    for (const command of readdirSync(join(fixturesDir, endpoint)).sort()) {
      const dir = join(fixturesDir, endpoint, command);
      for (const file of readdirSync(dir).sort()) {
        const match = /^(.+)\.fmt([0-3])\.body$/.exec(file);
        if (!match) continue;
        const stem = join(dir, file.slice(0, -".body".length));
        const jsonl = existsSync(`${stem}.jsonl`) ? readFileSync(`${stem}.jsonl`, "utf8") : null;
        if (jsonl === null && !existsSync(`${stem}.malformed`)) {
          throw new Error(`${stem}.body has neither .jsonl nor .malformed`);
        }
        out.push({
          name: `${endpoint}/${command}/${match[1]}.fmt${match[2]}`,
          command,
          options: { fmt: Number(match[2]), endpoint },
          body: readFileSync(`${stem}.body`).toString("base64"),
          jsonl,
        });
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fixtures = loadFixtures();
  const target = join(wasmDir, "tests", "generated");
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "fixtures.json"), JSON.stringify(fixtures));
  console.log(`${fixtures.length} fixtures -> tests/generated/fixtures.json`);
}
