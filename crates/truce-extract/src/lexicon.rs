//! What the reader knows before it reads: the parties and the names the
//! press gives them, people and the party each speaks for, outlets,
//! reporting verbs and words of office. Written for the Russia–Ukraine
//! talks of 2025 and open to any scenario: a scenario's parties (ids and
//! names) are added to the aliases.

/// Names the press uses for a party, lower case, with the party's id.
pub const PARTY_ALIASES: &[(&str, &str)] = &[
    ("russia", "russia"),
    ("russian", "russia"),
    ("russians", "russia"),
    ("moscow", "russia"),
    ("kremlin", "russia"),
    ("the kremlin", "russia"),
    ("russian side", "russia"),
    ("russian federation", "russia"),
    ("ukraine", "ukraine"),
    ("ukrainian", "ukraine"),
    ("ukrainians", "ukraine"),
    ("kyiv", "ukraine"),
    ("kiev", "ukraine"),
    ("ukrainian side", "ukraine"),
    ("us", "us"),
    ("u.s", "us"),
    ("u.s.", "us"),
    ("united states", "us"),
    ("american", "us"),
    ("washington", "us"),
    ("white house", "us"),
    ("trump administration", "us"),
    ("treasury", "us"),
    ("state department", "us"),
    ("u.s. side", "us"),
    ("european union", "europe"),
    ("eu", "europe"),
    ("brussels", "europe"),
    ("europe", "europe"),
    ("european", "europe"),
    ("europeans", "europe"),
    ("european allies", "europe"),
];

/// A person the press quotes: spellings (the last word of each is what a
/// report repeats), a name to record, an office, and the party spoken for.
pub struct Person {
    /// Spellings, as written.
    pub spellings: &'static [&'static str],
    /// The name recorded.
    pub name: &'static str,
    /// The office in 2025.
    pub role: &'static str,
    /// The party.
    pub party: &'static str,
}

/// People of the 2025 talks.
pub const PEOPLE: &[Person] = &[
    Person {
        spellings: &["Donald Trump", "Trump"],
        name: "Donald Trump",
        role: "President of the United States",
        party: "us",
    },
    Person {
        spellings: &["Marco Rubio", "Rubio"],
        name: "Marco Rubio",
        role: "US Secretary of State",
        party: "us",
    },
    Person {
        spellings: &["Steve Witkoff", "Witkoff"],
        name: "Steve Witkoff",
        role: "US special envoy",
        party: "us",
    },
    Person {
        spellings: &["Keith Kellogg", "Kellogg"],
        name: "Keith Kellogg",
        role: "US special envoy for Ukraine",
        party: "us",
    },
    Person {
        spellings: &["JD Vance", "J.D. Vance", "Vance"],
        name: "JD Vance",
        role: "Vice President of the United States",
        party: "us",
    },
    Person {
        spellings: &["Scott Bessent", "Bessent"],
        name: "Scott Bessent",
        role: "US Treasury Secretary",
        party: "us",
    },
    Person {
        spellings: &["Mike Waltz", "Waltz"],
        name: "Mike Waltz",
        role: "US National Security Adviser",
        party: "us",
    },
    Person {
        spellings: &["Pete Hegseth", "Hegseth"],
        name: "Pete Hegseth",
        role: "US Secretary of Defense",
        party: "us",
    },
    Person {
        spellings: &["Karoline Leavitt", "Leavitt"],
        name: "Karoline Leavitt",
        role: "White House press secretary",
        party: "us",
    },
    Person {
        spellings: &["Vladimir Putin", "Putin"],
        name: "Vladimir Putin",
        role: "President of Russia",
        party: "russia",
    },
    Person {
        spellings: &["Dmitry Peskov", "Peskov"],
        name: "Dmitry Peskov",
        role: "Kremlin spokesman",
        party: "russia",
    },
    Person {
        spellings: &["Sergei Lavrov", "Sergey Lavrov", "Lavrov"],
        name: "Sergei Lavrov",
        role: "Foreign Minister of Russia",
        party: "russia",
    },
    Person {
        spellings: &["Yuri Ushakov", "Ushakov"],
        name: "Yuri Ushakov",
        role: "Kremlin foreign policy aide",
        party: "russia",
    },
    Person {
        spellings: &["Kirill Dmitriev", "Dmitriev"],
        name: "Kirill Dmitriev",
        role: "Russian special envoy",
        party: "russia",
    },
    Person {
        spellings: &["Maria Zakharova", "Zakharova"],
        name: "Maria Zakharova",
        role: "Russian Foreign Ministry spokeswoman",
        party: "russia",
    },
    Person {
        spellings: &[
            "Volodymyr Zelensky",
            "Volodymyr Zelenskyy",
            "Volodymyr Zelenskiy",
            "Zelensky",
            "Zelenskyy",
            "Zelenskiy",
            "Zelenskii",
        ],
        name: "Volodymyr Zelensky",
        role: "President of Ukraine",
        party: "ukraine",
    },
    Person {
        spellings: &["Rustem Umerov", "Umerov"],
        name: "Rustem Umerov",
        role: "Minister of Defence of Ukraine",
        party: "ukraine",
    },
    Person {
        spellings: &["Andriy Sybiha", "Sybiha"],
        name: "Andriy Sybiha",
        role: "Foreign Minister of Ukraine",
        party: "ukraine",
    },
    Person {
        spellings: &["Andriy Yermak", "Yermak"],
        name: "Andriy Yermak",
        role: "Head of the Office of the President of Ukraine",
        party: "ukraine",
    },
    Person {
        spellings: &["Emmanuel Macron", "Macron"],
        name: "Emmanuel Macron",
        role: "President of France",
        party: "europe",
    },
    Person {
        spellings: &["Keir Starmer", "Starmer"],
        name: "Keir Starmer",
        role: "Prime Minister of the United Kingdom",
        party: "europe",
    },
    Person {
        spellings: &["Friedrich Merz", "Merz"],
        name: "Friedrich Merz",
        role: "Chancellor of Germany",
        party: "europe",
    },
    Person {
        spellings: &["Ursula von der Leyen", "von der Leyen"],
        name: "Ursula von der Leyen",
        role: "President of the European Commission",
        party: "europe",
    },
    Person {
        spellings: &["Kaja Kallas", "Kallas"],
        name: "Kaja Kallas",
        role: "EU foreign policy chief",
        party: "europe",
    },
];

/// Outlets a report may relay (as written, longest first where one name
/// holds another).
pub const OUTLETS: &[&str] = &[
    "New York Post",
    "New York Times",
    "Wall Street Journal",
    "Washington Post",
    "Financial Times",
    "Associated Press",
    "Fox Business",
    "Fox News",
    "Kyiv Independent",
    "Moscow Times",
    "Ukrainska Pravda",
    "RIA Novosti",
    "Al Jazeera",
    "The Guardian",
    "The Telegraph",
    "Bloomberg",
    "Reuters",
    "Axios",
    "Politico",
    "CNN",
    "CNBC",
    "NBC",
    "CBS",
    "ABC",
    "BBC",
    "AFP",
    "AP",
    "TASS",
    "Interfax",
    "Izvestia",
    "Kommersant",
    "Semafor",
    "SBS",
    "Sky News",
];

/// Verbs that attribute words to a speaker, each in the forms a report
/// uses.
pub const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "stated",
    "states",
    "announced",
    "announces",
    "acknowledged",
    "acknowledges",
    "confirmed",
    "confirms",
    "declared",
    "declares",
    "added",
    "adds",
    "noted",
    "notes",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "warned",
    "warns",
    "threatened",
    "threatens",
    "promised",
    "promises",
    "pledged",
    "pledges",
    "agreed",
    "agrees",
    "accused",
    "accuses",
    "denied",
    "denies",
    "rejected",
    "rejects",
    "proposed",
    "proposes",
    "called",
    "calls",
    "complained",
    "complains",
    "wrote",
    "writes",
    "posted",
    "reported",
    "reports",
    "demanded",
    "demands",
    "urged",
    "urges",
    "expressed",
    "responded",
    "stressed",
    "argued",
    "explained",
    "vowed",
    "suggested",
    "dismissed",
    "condemned",
    "admitted",
];

/// Words that may stand inside a speaker's description in lower case.
pub const DESCRIPTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "senior",
    "administration",
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "secretary",
    "chief",
    "envoy",
    "adviser",
    "advisor",
    "aide",
    "aides",
    "diplomat",
    "diplomats",
    "source",
    "sources",
    "side",
    "government",
    "ministry",
    "office",
    "foreign",
    "defence",
    "defense",
    "state",
    "treasury",
    "sanctions",
    "policy",
    "special",
    "national",
    "security",
    "press",
    "deputy",
    "prime",
    "former",
    "top",
    "military",
    "intelligence",
    "two",
    "three",
    "several",
    "people",
    "person",
    "familiar",
    "with",
    "matter",
    "of",
    "its",
    "his",
    "her",
    "their",
    "vice",
    "head",
    "leader",
    "leaders",
    "negotiator",
    "negotiators",
    "delegation",
    "statement",
    "post",
    "readout",
    "channel",
    "on",
    "telegram",
    "team",
    "u.s",
    "us",
    "publication",
    "newspaper",
    "paper",
    "agency",
    "outlet",
];

/// Words that make a description an unnamed source.
pub const UNNAMED: &[&str] = &[
    "official",
    "officials",
    "source",
    "sources",
    "diplomat",
    "diplomats",
    "people",
    "person",
    "aide",
    "aides",
    "negotiator",
    "negotiators",
];

/// The party a lower-case alias names, among `extra` (a scenario's own
/// names) and the built-in aliases.
pub fn party_of(alias: &str, extra: &[(String, String)]) -> Option<String> {
    let a = alias.trim().trim_start_matches("the ").to_lowercase();
    extra
        .iter()
        .find(|(n, _)| *n == a)
        .map(|(_, id)| id.clone())
        .or_else(|| {
            PARTY_ALIASES
                .iter()
                .find(|(n, _)| *n == a)
                .map(|(_, id)| id.to_string())
        })
}

/// The person a word or name is a spelling of.
pub fn person(name: &str) -> Option<&'static Person> {
    let n = name.trim();
    PEOPLE.iter().find(|p| {
        p.spellings.iter().any(|s| {
            s.eq_ignore_ascii_case(n)
                || n.rsplit(' ')
                    .next()
                    .is_some_and(|last| s.eq_ignore_ascii_case(last) && !s.contains(' '))
        })
    })
}
