//! Deterministic fixtures: contact lists, group lists and blacklists with realistic values,
//! rendered the way the SMSC server writes them (PROTOCOL.md sections 4 and 5) in all four fmts,
//! in several body profiles ([`Profile`]). The same profile and seed always give the same bytes.
//!
//! The profiles differ in the values the records hold (and, for `escapes`, in how fmt 2 and
//! fmt 3 write non-ASCII characters); the rendering is shared:
//!
//! - `mixed` (the default, the profile of the earlier results): what a Ukrainian or Russian
//!   customer base holds: Cyrillic names (with the apostrophe of `Мар'яна`), companies in quotes
//!   (`ТОВ "Ромашка"`), comments with commas, quotes, `=`, `&`, `<`, `>` and `/`, empty fields,
//!   several numbers in `phone_other`.
//! - `ascii`: the same shapes with all-ASCII values (Latin names, English comments) and no
//!   character that any fmt escapes.
//! - `long_cyrillic`: a long Cyrillic comment in every contact, the other optional fields mostly
//!   empty to make room: sentences are added while the record still fits [`RECORD_LIMIT`] in
//!   every fmt, which gives 115 to 245 bytes (180 on average). fmt 2 sets the bound: its eleven
//!   element tags alone take 241 of the 512 bytes, so "several hundred bytes" cannot fit there.
//! - `escapes`: values dense in what fmt 2 and fmt 3 escape (`"`, `'`, `&`, `<`, `>`, `/`, `\`),
//!   short Cyrillic words, and non-ASCII written as escapes: `\uXXXX` in every fmt 3 string (PHP's
//!   `json_encode` without `JSON_UNESCAPED_UNICODE`), decimal character references (`&#1030;`)
//!   in fmt 2 (a server writing ASCII-only XML).
//!
//! In every profile some free-text values hold `, ` and `=` (`Знижка = 5%, доставка`), never a
//! `, ` followed by something that reads as a fmt 0 key (`lowercase_key =`): fmt 0 can carry
//! them, the `split` alternative cannot.
//!
//! - fmt 0: `key = value` pairs joined by `, `, one record per line, `\n` after every line.
//! - fmt 1: values joined by `,`, unquoted. A comma inside a free-text value that sits before
//!   other free-text fields makes a line ambiguous (PROTOCOL.md 4.4), which the server's own
//!   data would not survive either, so in this fmt the commas of `comments` and `tags` are
//!   written as `;`. Commas stay where the format resolves them: in `name` (a phone before it,
//!   a numeric group after it), in the last field (`phone_other`, `comment`) and in group names.
//! - fmt 2: `<list>` with one element per record and one child per field, one per line, text
//!   escaped like PHP's `htmlspecialchars(ENT_QUOTES)`: `&amp; &lt; &gt; &quot; &#039;` (and,
//!   in the `escapes` profile, every non-ASCII character as `&#N;`).
//! - fmt 3: the real server's layout (PROTOCOL.md 5.1): a newline after `[{` and `{`, one
//!   `"key": value` per line, `},\n{` between records. Contact values are all strings; group
//!   `id`/`number` and blacklist `id`/`type` are numbers. Non-ASCII text is raw UTF-8, except
//!   in one record out of five whose `name` is written as `\uXXXX` escapes (what PHP's
//!   `json_encode` does without `JSON_UNESCAPED_UNICODE`; only the name, so that every record
//!   fits the 512-byte streaming buffer) and everywhere in the `escapes` profile; `"` `\` and
//!   `/` are escaped as `json_encode` does.
//!
//! Every record, its separator included, takes at most [`RECORD_LIMIT`] bytes in every fmt and
//! profile (the tests check it), so it fits the 512-byte streaming buffer.

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
    /// The body profile its values come from (and how fmt 2 and fmt 3 escape them).
    pub profile: Profile,
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

/// A body profile: which values the records hold and how fmt 2 and fmt 3 write non-ASCII
/// characters. See the module documentation for what each holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Cyrillic names, companies in quotes, comments with punctuation: the default, and the
    /// profile of the results measured before there were profiles.
    #[default]
    Mixed,
    /// All-ASCII values, nothing any fmt escapes.
    Ascii,
    /// A long Cyrillic comment in every contact.
    LongCyrillic,
    /// Escape-heavy values; `\uXXXX` in fmt 3 and character references in fmt 2 for non-ASCII.
    Escapes,
}

impl Profile {
    /// Every profile, the default first.
    pub const ALL: [Profile; 4] = [Profile::Mixed, Profile::Ascii, Profile::LongCyrillic, Profile::Escapes];

    /// The profile's name, as the benches, the report and the binaries spell it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Mixed => "mixed",
            Self::Ascii => "ascii",
            Self::LongCyrillic => "long_cyrillic",
            Self::Escapes => "escapes",
        }
    }

    /// The profile called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// What the profile holds, in one line.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Mixed => "Cyrillic names, companies in quotes, comments with `, ` `=` `&` `<` `\"` `/`",
            Self::Ascii => "all-ASCII values (Latin names, English comments), nothing any fmt escapes",
            Self::LongCyrillic => {
                "a 150-210 byte Cyrillic comment in every contact, other optional fields mostly empty"
            }
            Self::Escapes => "escape-dense values; non-ASCII as `\\uXXXX` (fmt 3) and `&#N;` (fmt 2)",
        }
    }

    fn vocab(self) -> &'static Vocab {
        match self {
            Self::Mixed => &MIXED,
            Self::Ascii => &ASCII,
            Self::LongCyrillic => &LONG_CYRILLIC,
            Self::Escapes => &ESCAPES,
        }
    }

    /// Whether fmt 3 writes field `i` of record `r` with non-ASCII as `\uXXXX`.
    const fn json_ascii_only(self, r: usize, i: usize) -> bool {
        match self {
            Self::Escapes => true,
            // In one record out of five the name.
            _ => r % 5 == 4 && i == 1,
        }
    }

    /// Whether fmt 2 writes non-ASCII as decimal character references.
    const fn xml_char_refs(self) -> bool {
        matches!(self, Self::Escapes)
    }

    /// `count` contacts in this profile.
    pub fn contacts(self, count: usize, seed: u64) -> List {
        generate_contacts(self, count, seed)
    }

    /// `count` groups in this profile.
    pub fn groups(self, count: usize, seed: u64) -> List {
        generate_groups(self, count, seed)
    }

    /// `count` blacklist records in this profile.
    pub fn blacklist(self, count: usize, seed: u64) -> List {
        generate_blacklist(self, count, seed)
    }

    /// The contact list of `count` records in `fmt`, as the benchmarks use it.
    pub fn contact_body(self, count: usize, fmt: Fmt) -> Vec<u8> {
        render(&self.contacts(count, SEED), fmt)
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The values a profile draws from.
struct Vocab {
    first_male: &'static [&'static str],
    first_female: &'static [&'static str],
    last: &'static [&'static str],
    middle_male: &'static [&'static str],
    middle_female: &'static [&'static str],
    companies: &'static [&'static str],
    /// After `{last} {first}` in a name (a comma that fmt 1 resolves in `name`).
    junior: &'static str,
    comments: &'static [&'static str],
    tags: &'static [&'static str],
    group_names: &'static [&'static str],
    black_comments: &'static [&'static str],
    /// Sentences a long comment is made of, when the profile's comments are long.
    long_comments: Option<&'static [&'static str]>,
}

const MIXED: Vocab = Vocab {
    first_male: &["Іван", "Петро", "Олександр", "Дмитро", "Сергій", "Андрій", "В'ячеслав", "Юрій", "Богдан", "Михайло"],
    first_female: &["Олена", "Марія", "Наталія", "Мар'яна", "Ганна", "Юлія", "Ірина", "Оксана", "Тетяна", "Людмила"],
    last: &[
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
    ],
    middle_male: &["Іванович", "Петрович", "Олександрович", "Сергійович", "Андрійович"],
    middle_female: &["Іванівна", "Петрівна", "Олександрівна", "Сергіївна", "Андріївна"],
    companies: &[
        "ТОВ \"Ромашка\"",
        "ФОП Мельник, склад №2",
        "ПП \"Світанок\" & Ко",
        "ТОВ \"Агро-Трейд\", філія",
        "ООО «Вектор»",
    ],
    junior: ", молодший",
    comments: &[
        "Сказав \"так\" & <терміново>, передзвонити",
        "Оптовий клієнт",
        "Знижка = 5%, доставка & монтаж",
        "Дзвонити з 9:00 до 18:00, пн/пт",
        "Просить не дзвонити у вихідні",
        "Оплата на рахунок, \"безготівка\"",
        "Новий клієнт, з сайту",
        "Повернення <3 шт.>, чекає",
        "",
        "",
    ],
    tags: &["vip", "опт", "роздріб", "опт, роздріб", "", "", "постійний"],
    group_names: &[
        "Клієнти",
        "Постачальники & партнери",
        "Група \"Київ\" <центр>",
        "Оптові покупці",
        "Розсилка: акції, знижки",
        "VIP",
        "Дилери/регіони",
        "Архів",
    ],
    black_comments: &[
        "Скарга, \"спам\" & <реклама>",
        "Просив видалити",
        "",
        "Відписався через сайт",
        "Номер не обслуговується, повернення",
    ],
    long_comments: None,
};

const ASCII: Vocab = Vocab {
    first_male: &[
        "Ivan",
        "Petro",
        "Oleksandr",
        "Dmytro",
        "Serhii",
        "Andrii",
        "Viacheslav",
        "Yurii",
        "Bohdan",
        "Mykhailo",
    ],
    first_female: &[
        "Olena", "Mariia", "Nataliia", "Mariana", "Hanna", "Yuliia", "Iryna", "Oksana", "Tetiana", "Liudmyla",
    ],
    last: &[
        "Petrenko",
        "Kovalenko",
        "Shevchenko",
        "Bondarenko",
        "Tkachenko",
        "Kravchenko",
        "Oliinyk",
        "Melnyk",
        "Demianchuk",
        "Lysenko",
    ],
    middle_male: &["Ivanovych", "Petrovych", "Oleksandrovych", "Serhiiovych", "Andriiovych"],
    middle_female: &["Ivanivna", "Petrivna", "Oleksandrivna", "Serhiivna", "Andriivna"],
    companies: &["Romashka LLC", "Melnyk Warehouse, No 2", "Svitanok and Co", "Agro-Trade Ltd, branch", "Vector Inc"],
    junior: ", Jr.",
    comments: &[
        "Said yes, call back urgently",
        "Wholesale client",
        "Discount = 5%, delivery included",
        "Call from 9:00 to 18:00, Mon to Fri",
        "Asks not to call on weekends",
        "Pays by invoice, cashless",
        "New client, from the website",
        "Return of 3 pcs, waiting",
        "",
        "",
    ],
    tags: &["vip", "wholesale", "retail", "wholesale, retail", "", "", "regular"],
    group_names: &[
        "Clients",
        "Suppliers and partners",
        "Kyiv group, center",
        "Wholesale buyers",
        "Mailing: offers, discounts",
        "VIP",
        "Dealers by region",
        "Archive",
    ],
    black_comments: &[
        "Complaint = spam, ads",
        "Asked to be removed",
        "",
        "Unsubscribed on the website",
        "Number not in service, returned",
    ],
    long_comments: None,
};

const LONG_CYRILLIC: Vocab = Vocab {
    long_comments: Some(&[
        "Клієнт просив передзвонити після обіду, бажано у вівторок або четвер",
        "Знижка = 5%, доставка за рахунок магазину",
        "Замовлення оформлене через сайт, оплата карткою при отриманні",
        "Попередня поставка прийшла з пошкодженою упаковкою",
        "Менеджер: Олена Петрівна, телефон у картці клієнта",
        "Цікавиться оптовими цінами на осінній асортимент, надіслати каталог",
        "Не дзвонити у вихідні та святкові дні",
        "Бонусна програма = активна, нараховано 120 балів",
        "Адреса доставки змінилася: вул. Шевченка 12, кв. 5",
        "Потрібен рахунок-фактура з ПДВ для бухгалтерії",
    ]),
    group_names: &[
        "Клієнти з Київської області, роздрібна торгівля",
        "Постачальники будівельних матеріалів та партнери",
        "Оптові покупці: знижка = 7%, відстрочка платежу",
        "Розсилка про акції, знижки та нові надходження",
        "Архів клієнтів, що не відповідали понад рік",
    ],
    black_comments: &[
        "Скарга на рекламні повідомлення, просив більше ніколи не писати",
        "Просив видалити номер з усіх списків розсилки",
        "",
        "Відписався через сайт, причина = забагато повідомлень",
        "Номер не обслуговується оператором, повернення з помилкою доставки",
    ],
    ..MIXED
};

const ESCAPES: Vocab = Vocab {
    first_male: &["V'yacheslav", "Ivan", "Юрій", "Dem'yan", "Олег", "Il'ko", "Петро", "Stas'", "Yosyp", "Ян"],
    first_female: &["Mar'yana", "Олена", "Tat'yana", "Ірина", "Dar'ya", "Ol'ga", "Яна", "Nataliya", "Уля", "Zhanna"],
    last: &["Dem'yanchuk", "O'Neill", "Бойко", "Koval'", "Grin'ko", "Лях", "D'Souza", "Petrenko", "Гуць", "Ob'yedkova"],
    middle_male: &["Vasyl'ovych", "Petrovych", "Il'kovych", "Serhiyovych", "Ihorovych"],
    middle_female: &["Vasyl'ivna", "Petrivna", "Il'kivna", "Serhiyivna", "Ihorivna"],
    companies: &[
        "TOV \"Romashka\" & Co",
        "<Agro/Trade> \"UA\"",
        "ФОП \"Лях\" & син",
        "O'Brien & Sons <UK>",
        "PP 'Svitanok' / Kyiv",
    ],
    junior: ", \"Jr.\"",
    comments: &[
        "Said \"yes\" & <urgent>, call back",
        "Price = 5% off, \"VIP\" & <wholesale>",
        "Знижка = 5%, \"VIP\"",
        "https://shop.ua/c?id=7&ref=sms",
        "a/b <c> & \"d\" 'e' / f",
        "9:00-18:00, Mon/Fri <only>",
        "<b>bold</b> & \"quoted\"",
        "C:\\temp\\list.csv & D:\\out",
        "",
        "",
    ],
    tags: &["\"vip\"", "<opt>", "r&d", "опт/vip", "", "", "a&b, \"hot\""],
    group_names: &[
        "Clients \"A\" & <B>",
        "Група \"Київ\" <центр>",
        "Suppliers & partners / UA",
        "Rozsylka: 'akcii', <znyzhky>",
        "VIP & \"gold\"",
        "Dealers/regions <east>",
        "Знижка = 5%, опт",
        "Archive & old / \"2019\"",
    ],
    black_comments: &[
        "Complaint: \"spam\" & <ads>",
        "Скарга = \"спам\", реклама",
        "",
        "Unsubscribed via https://shop.ua/u?x=1&y=2",
        "O'Neil said <stop> & \"never\"",
    ],
    long_comments: None,
};

/// The most bytes one record takes in any fmt and profile, with the separator that follows it
/// (`\n`, or `,\n` between fmt 3 objects): it fits the 512-byte streaming buffer with room for
/// the bytes of the next record that a refill brings along.
pub const RECORD_LIMIT: usize = 508;

/// A Ukrainian mobile number.
fn phone(rng: &mut Rng) -> String {
    let operator = rng.pick(&["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]);
    format!("380{operator}{}", rng.digits(7))
}

/// `count` contacts of the `mixed` profile.
pub fn contacts(count: usize, seed: u64) -> List {
    Profile::Mixed.contacts(count, seed)
}

/// The index of `comments` in a contact.
const COMMENTS: usize = 8;

fn generate_contacts(profile: Profile, count: usize, seed: u64) -> List {
    let v = profile.vocab();
    let mut rng = Rng::new(seed);
    // The random draws come in the same order in every profile (and as they did before there
    // were profiles, so the `mixed` bodies stay what they were).
    let records = (0..count)
        .map(|i| {
            let female = rng.one_in(2);
            let first = rng.pick(if female { v.first_female } else { v.first_male }).to_owned();
            let last = rng.pick(v.last).to_owned();
            let middle = match rng.one_in(4) {
                true => String::new(),
                false => rng.pick(if female { v.middle_female } else { v.middle_male }).to_owned(),
            };
            let name = match rng.below(10) {
                0 | 1 => rng.pick(v.companies).to_owned(),
                2 => format!("{last} {first}{}", v.junior),
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
            let comments = rng.pick(v.comments).to_owned();
            let tags = rng.pick(v.tags).to_owned();
            // fmt 1 resolves a comma in `name` (between a phone and a numeric group) or in the
            // last field, not both on one line: the line would be ambiguous.
            let phone_other = match rng.below(4) {
                0 => format!("+{}", phone(&mut rng)),
                1 if !name.contains(',') => format!("{},{}", phone(&mut rng), phone(&mut rng)),
                1 => phone(&mut rng),
                _ => String::new(),
            };
            let mut record =
                vec![phone(&mut rng), name, group, first, last, middle, birthday, id, comments, tags, phone_other];
            if let Some(sentences) = v.long_comments {
                // The comment takes the room: the other optional fields stay empty, and
                // sentences are added while the record fits in every fmt.
                for field in [3, 4, 5, 7, 9, 10] {
                    record[field].clear();
                }
                record[COMMENTS] = long_comment(profile, i, &mut record, sentences, &mut rng);
            }
            record
        })
        .collect();
    List { kind: Kind::Contacts, profile, records }
}

/// Sentences of `sentences`, each at most once, in turn from a random one, each added when
/// `record` with it in its comment still takes at most [`RECORD_LIMIT`] bytes in every fmt.
fn long_comment(profile: Profile, r: usize, record: &mut [String], sentences: &[&str], rng: &mut Rng) -> String {
    let mut comment = String::new();
    let start = rng.below(sentences.len() as u64) as usize;
    for k in 0..sentences.len() {
        let sentence = sentences[(start + k) % sentences.len()];
        let candidate = match comment.is_empty() {
            true => format!("{sentence}."),
            false => format!("{comment} {sentence}."),
        };
        record[COMMENTS] = candidate;
        if FMTS.iter().all(|&fmt| record_len(Kind::Contacts, profile, r, record, fmt) <= RECORD_LIMIT) {
            comment = std::mem::take(&mut record[COMMENTS]);
        }
    }
    comment
}

/// `count` groups of the `mixed` profile.
pub fn groups(count: usize, seed: u64) -> List {
    Profile::Mixed.groups(count, seed)
}

fn generate_groups(profile: Profile, count: usize, seed: u64) -> List {
    let names = profile.vocab().group_names;
    let mut rng = Rng::new(seed);
    let records = (0..count)
        .map(|i| {
            let name = match i < names.len() {
                true => names[i].to_owned(),
                false => format!("{} {}", rng.pick(names), i),
            };
            let number = match rng.one_in(3) {
                true => String::new(),
                false => format!("{}", 100 + i),
            };
            vec![format!("{}", 5922 + i), name, number, format!("{}", rng.below(5000))]
        })
        .collect();
    List { kind: Kind::Groups, profile, records }
}

/// `count` blacklist records of the `mixed` profile.
pub fn blacklist(count: usize, seed: u64) -> List {
    Profile::Mixed.blacklist(count, seed)
}

fn generate_blacklist(profile: Profile, count: usize, seed: u64) -> List {
    let comments = profile.vocab().black_comments;
    let mut rng = Rng::new(seed);
    let records = (0..count)
        .map(|i| {
            let kind = rng.pick(&["0", "1", "2"]).to_owned();
            vec![format!("{}", 301 + i), phone(&mut rng), kind, rng.pick(comments).to_owned()]
        })
        .collect();
    List { kind: Kind::Blacklist, profile, records }
}

/// `s` as PHP's `htmlspecialchars($s, ENT_QUOTES)` writes it.
pub fn xml_escape(s: &str) -> String {
    xml_escape_with(s, false)
}

/// `s` as `htmlspecialchars($s, ENT_QUOTES)` writes it, and every non-ASCII character as a
/// decimal character reference (`&#1030;`) when `char_refs`.
pub fn xml_escape_with(s: &str, char_refs: bool) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c if char_refs && !c.is_ascii() => out.push_str(&format!("&#{};", u32::from(c))),
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

/// A value as fmt 1 writes it: commas only where the format resolves them.
fn csv_value(kind: Kind, i: usize, v: &str) -> String {
    match kind.csv_keeps_commas(i) {
        true => v.to_owned(),
        false => v.replace(", ", "; ").replace(',', ";"),
    }
}

/// Appends record `r` (its `values`) of a `kind` list in `profile` to `out`, as `fmt` writes it:
/// a line with its `\n` (fmt 0, 1), an element with its `\n` (fmt 2), an object (fmt 3; the
/// `,\n` between objects is the caller's).
fn render_record(kind: Kind, profile: Profile, r: usize, values: &[String], fmt: Fmt, out: &mut String) {
    let names = kind.fields();
    match fmt {
        Fmt::KeyValue => {
            for (i, (k, v)) in names.iter().zip(values).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&format!("{k} = {v}"));
            }
            out.push('\n');
        }
        Fmt::Csv => {
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&csv_value(kind, i, v));
            }
            out.push('\n');
        }
        Fmt::Xml => {
            let element = kind.element();
            out.push_str(&format!("<{element}>\n"));
            for (k, v) in names.iter().zip(values) {
                out.push_str(&format!("<{k}>{}</{k}>\n", xml_escape_with(v, profile.xml_char_refs())));
            }
            out.push_str(&format!("</{element}>\n"));
        }
        Fmt::Json => {
            out.push_str("{\n");
            for (i, (k, v)) in names.iter().zip(values).enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                match kind.numeric(i) && !v.is_empty() {
                    true => out.push_str(&format!("\"{k}\": {v}")),
                    false => out.push_str(&format!("\"{k}\": \"{}\"", json_escape(v, profile.json_ascii_only(r, i)))),
                }
            }
            out.push_str("\n}");
        }
    }
}

/// The bytes record `r` (its `values`) of a `kind` list in `profile` takes in `fmt`, with the
/// separator that follows it (`,\n` for fmt 3, counted for every record).
pub fn record_len(kind: Kind, profile: Profile, r: usize, values: &[String], fmt: Fmt) -> usize {
    let mut out = String::new();
    render_record(kind, profile, r, values, fmt, &mut out);
    out.len() + if fmt == Fmt::Json { 2 } else { 0 }
}

/// The largest [`record_len`] of `list` in `fmt`.
pub fn longest_record(list: &List, fmt: Fmt) -> usize {
    list.records
        .iter()
        .enumerate()
        .map(|(r, values)| record_len(list.kind, list.profile, r, values, fmt))
        .max()
        .unwrap_or(0)
}

/// The body of `list` in `fmt`.
pub fn render(list: &List, fmt: Fmt) -> Vec<u8> {
    let mut out = String::new();
    match fmt {
        Fmt::Xml => out.push_str("<list>\n"),
        Fmt::Json => out.push('['),
        Fmt::KeyValue | Fmt::Csv => {}
    }
    for (r, values) in list.records.iter().enumerate() {
        if fmt == Fmt::Json && r > 0 {
            out.push_str(",\n");
        }
        render_record(list.kind, list.profile, r, values, fmt, &mut out);
    }
    match fmt {
        Fmt::Xml => out.push_str("</list>"),
        Fmt::Json => out.push(']'),
        Fmt::KeyValue | Fmt::Csv => {}
    }
    out.into_bytes()
}

/// The four fmts, in wire order.
pub const FMTS: [Fmt; 4] = [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json];

/// The contact list sizes the benchmarks use (for the default profile; the others are measured
/// at the largest only).
pub const SIZES: [usize; 3] = [10, 100, 1000];

/// The seed of every benchmark fixture.
pub const SEED: u64 = 2024;

/// The contact list of `count` records of the `mixed` profile in `fmt`, as the benchmarks use it.
pub fn contact_body(count: usize, fmt: Fmt) -> Vec<u8> {
    Profile::Mixed.contact_body(count, fmt)
}

/// The values a decoder must find in `render(list, fmt)`, record by record.
pub fn expected(list: &List, fmt: Fmt) -> Vec<Vec<String>> {
    match fmt {
        Fmt::Csv => list
            .records
            .iter()
            .map(|record| record.iter().enumerate().map(|(i, v)| csv_value(list.kind, i, v)).collect())
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
