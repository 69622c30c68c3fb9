//! Deterministic fixtures: contact lists, group lists and blacklists with realistic values,
//! rendered the way the SMSC server writes them (PROTOCOL.md sections 4 and 5) in all four fmts.
//!
//! The values are what a Ukrainian or Russian customer base holds: Cyrillic names (with the
//! apostrophe of `Мар'яна`), companies in quotes (`ТОВ "Ромашка"`), comments with commas,
//! quotes, `&`, `<`, `>` and `/`, empty fields, several numbers in `phone_other`. The same seed
//! always gives the same bytes.
//!
//! - fmt 0: `key = value` pairs joined by `, `, one record per line, `\n` after every line.
//! - fmt 1: values joined by `,`, unquoted. A comma inside a free-text value that sits before
//!   other free-text fields makes a line ambiguous (PROTOCOL.md 4.4), which the server's own
//!   data would not survive either, so in this fmt the commas of `comments` and `tags` are
//!   written as `;`. Commas stay where the format resolves them: in `name` (a phone before it,
//!   a numeric group after it), in the last field (`phone_other`, `comment`) and in group names.
//! - fmt 2: `<list>` with one element per record and one child per field, one per line, text
//!   escaped like PHP's `htmlspecialchars(ENT_QUOTES)`: `&amp; &lt; &gt; &quot; &#039;`.
//! - fmt 3: the real server's layout (PROTOCOL.md 5.1): a newline after `[{` and `{`, one
//!   `"key": value` per line, `},\n{` between records. Contact values are all strings; group
//!   `id`/`number` and blacklist `id`/`type` are numbers. Non-ASCII text is raw UTF-8, except
//!   in one record out of five whose `name` is written as `\uXXXX` escapes (what PHP's
//!   `json_encode` does without `JSON_UNESCAPED_UNICODE`; only the name, so that every record
//!   fits the 512-byte streaming buffer); `"` `\` and `/` are escaped as `json_encode` does.

use smsc_codec::{Endpoint, Fmt, ListKind};

/// The field names of a contact on phones.php, in the order the server writes them.
pub const CONTACT_FIELDS: &[&str] = ListKind::Contacts.field_names(Endpoint::Phones);
/// The field names of a group.
pub const GROUP_FIELDS: &[&str] = ListKind::Groups.field_names(Endpoint::Phones);
/// The field names of a blacklist record on phones.php.
pub const BLACK_FIELDS: &[&str] = ListKind::Blacklist.field_names(Endpoint::Phones);

/// Which list a fixture is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `get`.
    Contacts,
    /// `get_group`.
    Groups,
    /// `get_black`.
    Blacklist,
}

impl Kind {
    /// The field names, in order.
    pub const fn fields(self) -> &'static [&'static str] {
        match self {
            Self::Contacts => CONTACT_FIELDS,
            Self::Groups => GROUP_FIELDS,
            Self::Blacklist => BLACK_FIELDS,
        }
    }

    /// The XML element of one record.
    pub const fn element(self) -> &'static str {
        match self {
            Self::Contacts => "contact",
            Self::Groups => "group",
            Self::Blacklist => "record",
        }
    }

    /// Whether field `i` is written as a JSON number in fmt 3 (when it is one).
    const fn numeric(self, i: usize) -> bool {
        match self {
            Self::Contacts => false,
            Self::Groups => matches!(i, 0 | 2),
            Self::Blacklist => matches!(i, 0 | 2),
        }
    }

    /// Whether field `i` may keep its commas in fmt 1 (the format resolves them there).
    const fn csv_keeps_commas(self, i: usize) -> bool {
        match self {
            Self::Contacts => matches!(i, 1 | 10),
            Self::Groups => i == 1,
            Self::Blacklist => i == 3,
        }
    }
}

/// A generated list: one value per field of every record, all fields present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    /// Which list.
    pub kind: Kind,
    /// The records' values, in field order.
    pub records: Vec<Vec<String>>,
}

/// xorshift64*: small, fast, and the same on every machine.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability 1/n.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    /// One of `items`.
    pub fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[self.below(items.len() as u64) as usize]
    }

    /// `len` random decimal digits.
    pub fn digits(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const FIRST_MALE: &[&str] =
    &["Іван", "Петро", "Олександр", "Дмитро", "Сергій", "Андрій", "В'ячеслав", "Юрій", "Богдан", "Михайло"];
const FIRST_FEMALE: &[&str] =
    &["Олена", "Марія", "Наталія", "Мар'яна", "Ганна", "Юлія", "Ірина", "Оксана", "Тетяна", "Людмила"];
const LAST: &[&str] = &[
    "Петренко",
    "Коваленко",
    "Шевченко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Мельник",
    "Дем'янчук",
    "Лисенко",
];
const MIDDLE_MALE: &[&str] = &["Іванович", "Петрович", "Олександрович", "Сергійович", "Андрійович"];
const MIDDLE_FEMALE: &[&str] = &["Іванівна", "Петрівна", "Олександрівна", "Сергіївна", "Андріївна"];
const COMPANIES: &[&str] =
    &["ТОВ \"Ромашка\"", "ФОП Мельник, склад №2", "ПП \"Світанок\" & Ко", "ТОВ \"Агро-Трейд\", філія", "ООО «Вектор»"];
const COMMENTS: &[&str] = &[
    "Сказав \"так\" & <терміново>, передзвонити",
    "Оптовий клієнт",
    "Знижка 5% & доставка",
    "Дзвонити з 9:00 до 18:00, пн/пт",
    "Просить не дзвонити у вихідні",
    "Оплата на рахунок, \"безготівка\"",
    "Новий клієнт, з сайту",
    "Повернення <3 шт.>, чекає",
    "",
    "",
];
const TAGS: &[&str] = &["vip", "опт", "роздріб", "опт, роздріб", "", "", "постійний"];
const GROUP_NAMES: &[&str] = &[
    "Клієнти",
    "Постачальники & партнери",
    "Група \"Київ\" <центр>",
    "Оптові покупці",
    "Розсилка: акції, знижки",
    "VIP",
    "Дилери/регіони",
    "Архів",
];
const BLACK_COMMENTS: &[&str] = &[
    "Скарга, \"спам\" & <реклама>",
    "Просив видалити",
    "",
    "Відписався через сайт",
    "Номер не обслуговується, повернення",
];

/// A Ukrainian mobile number.
fn phone(rng: &mut Rng) -> String {
    let operator = rng.pick(&["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]);
    format!("380{operator}{}", rng.digits(7))
}

/// `count` contacts.
pub fn contacts(count: usize, seed: u64) -> List {
    let mut rng = Rng::new(seed);
    let records = (0..count)
        .map(|i| {
            let female = rng.one_in(2);
            let first = rng.pick(if female { FIRST_FEMALE } else { FIRST_MALE }).to_owned();
            let last = rng.pick(LAST).to_owned();
            let middle = match rng.one_in(4) {
                true => String::new(),
                false => rng.pick(if female { MIDDLE_FEMALE } else { MIDDLE_MALE }).to_owned(),
            };
            let name = match rng.below(10) {
                0 | 1 => rng.pick(COMPANIES).to_owned(),
                2 => format!("{last} {first}, молодший"),
                3 => first.clone(),
                _ => format!("{first} {last}"),
            };
            let group = rng.pick(&["5922", "5923", "6011", "0", "7340"]).to_owned();
            let birthday = match rng.one_in(3) {
                true => String::new(),
                false => format!("{:02}.{:02}.{}", 1 + rng.below(28), 1 + rng.below(12), 1950 + rng.below(55)),
            };
            let id = match rng.one_in(4) {
                true => String::new(),
                false => format!("{}", 1000 + i),
            };
            let comments = rng.pick(COMMENTS).to_owned();
            let tags = rng.pick(TAGS).to_owned();
            // fmt 1 resolves a comma in `name` (between a phone and a numeric group) or in the
            // last field, not both on one line: the line would be ambiguous.
            let phone_other = match rng.below(4) {
                0 => format!("+{}", phone(&mut rng)),
                1 if !name.contains(',') => format!("{},{}", phone(&mut rng), phone(&mut rng)),
                1 => phone(&mut rng),
                _ => String::new(),
            };
            vec![phone(&mut rng), name, group, first, last, middle, birthday, id, comments, tags, phone_other]
        })
        .collect();
    List { kind: Kind::Contacts, records }
}

/// `count` groups.
pub fn groups(count: usize, seed: u64) -> List {
    let mut rng = Rng::new(seed);
    let records = (0..count)
        .map(|i| {
            let name = match i < GROUP_NAMES.len() {
                true => GROUP_NAMES[i].to_owned(),
                false => format!("{} {}", rng.pick(GROUP_NAMES), i),
            };
            let number = match rng.one_in(3) {
                true => String::new(),
                false => format!("{}", 100 + i),
            };
            vec![format!("{}", 5922 + i), name, number, format!("{}", rng.below(5000))]
        })
        .collect();
    List { kind: Kind::Groups, records }
}

/// `count` blacklist records.
pub fn blacklist(count: usize, seed: u64) -> List {
    let mut rng = Rng::new(seed);
    let records = (0..count)
        .map(|i| {
            let kind = rng.pick(&["0", "1", "2"]).to_owned();
            vec![format!("{}", 301 + i), phone(&mut rng), kind, rng.pick(BLACK_COMMENTS).to_owned()]
        })
        .collect();
    List { kind: Kind::Blacklist, records }
}

/// `s` as PHP's `htmlspecialchars($s, ENT_QUOTES)` writes it.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` as a JSON string's content, the way PHP's `json_encode` writes it: `"` `\` `/` escaped,
/// and non-ASCII as `\uXXXX` when `ascii_only`.
pub fn json_escape(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 || (ascii_only && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The body of `list` in `fmt`.
pub fn render(list: &List, fmt: Fmt) -> Vec<u8> {
    let names = list.kind.fields();
    let mut out = String::new();
    match fmt {
        Fmt::KeyValue => {
            for record in &list.records {
                let pairs: Vec<String> = names.iter().zip(record).map(|(k, v)| format!("{k} = {v}")).collect();
                out.push_str(&pairs.join(", "));
                out.push('\n');
            }
        }
        Fmt::Csv => {
            for record in &list.records {
                let values: Vec<String> = record
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match list.kind.csv_keeps_commas(i) {
                        true => v.clone(),
                        false => v.replace(", ", "; ").replace(',', ";"),
                    })
                    .collect();
                out.push_str(&values.join(","));
                out.push('\n');
            }
        }
        Fmt::Xml => {
            let element = list.kind.element();
            out.push_str("<list>\n");
            for record in &list.records {
                out.push_str(&format!("<{element}>\n"));
                for (k, v) in names.iter().zip(record) {
                    out.push_str(&format!("<{k}>{}</{k}>\n", xml_escape(v)));
                }
                out.push_str(&format!("</{element}>\n"));
            }
            out.push_str("</list>");
        }
        Fmt::Json => {
            out.push('[');
            for (r, record) in list.records.iter().enumerate() {
                if r > 0 {
                    out.push_str(",\n");
                }
                // In one record out of five the name is written as `\uXXXX` escapes.
                let escaped_name = r % 5 == 4;
                let members: Vec<String> = names
                    .iter()
                    .zip(record)
                    .enumerate()
                    .map(|(i, (k, v))| match list.kind.numeric(i) && !v.is_empty() {
                        true => format!("\"{k}\": {v}"),
                        false => format!("\"{k}\": \"{}\"", json_escape(v, escaped_name && i == 1)),
                    })
                    .collect();
                out.push_str("{\n");
                out.push_str(&members.join(",\n"));
                out.push_str("\n}");
            }
            out.push(']');
        }
    }
    out.into_bytes()
}

/// The four fmts, in wire order.
pub const FMTS: [Fmt; 4] = [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json];

/// The contact list sizes the benchmarks use.
pub const SIZES: [usize; 3] = [10, 100, 1000];

/// The seed of every benchmark fixture.
pub const SEED: u64 = 2024;

/// The contact list of `count` records in `fmt`, as the benchmarks use it.
pub fn contact_body(count: usize, fmt: Fmt) -> Vec<u8> {
    render(&contacts(count, SEED), fmt)
}

/// The values a decoder must find in `render(list, fmt)`, record by record.
pub fn expected(list: &List, fmt: Fmt) -> Vec<Vec<String>> {
    match fmt {
        Fmt::Csv => list
            .records
            .iter()
            .map(|record| {
                record
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match list.kind.csv_keeps_commas(i) {
                        true => v.clone(),
                        false => v.replace(", ", "; ").replace(',', ";"),
                    })
                    .collect()
            })
            .collect(),
        _ => list.records.clone(),
    }
}

/// A short name of a fmt, for benchmark ids.
pub const fn fmt_name(fmt: Fmt) -> &'static str {
    match fmt {
        Fmt::KeyValue => "fmt0",
        Fmt::Csv => "fmt1",
        Fmt::Xml => "fmt2",
        Fmt::Json => "fmt3",
    }
}
