//! The closed vocabularies of event records, typed. Each serializes to the
//! same lower-case/snake-case string the schema (`schemas/event.v1.json`)
//! names, and rule files use the same strings.
use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value a rule file or a record spells `text`, if any.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Every spelling, for error messages.
            pub fn spellings() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

vocabulary!(
    /// What an actor does in an event.
    Role {
        Host = "host",
        Visitor = "visitor",
        Inviter = "inviter",
        Participant = "participant",
        Organizer = "organizer",
    }
);

vocabulary!(
    /// What an actor is.
    ActorKind {
        Person = "person",
        Organization = "organization",
        Country = "country",
    }
);

vocabulary!(
    /// Whether the event took place or is announced.
    Status {
        Occurred = "occurred",
        Planned = "planned",
    }
);

vocabulary!(
    /// How a dialogue was held.
    Mode {
        InPerson = "in_person",
        Phone = "phone",
        Video = "video",
    }
);

vocabulary!(
    /// The protocol level of a visit.
    VisitLevel {
        State = "state",
        Official = "official",
        Working = "working",
        Unspecified = "unspecified",
    }
);

vocabulary!(
    /// How exact a stated count is.
    Qualifier {
        Exact = "exact",
        MoreThan = "more_than",
        About = "about",
        AtLeast = "at_least",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_json_string() {
        for role in Role::ALL {
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), *role);
            assert_eq!(Role::parse(role.as_str()), Some(*role));
        }
        assert_eq!(
            serde_json::to_string(&Mode::InPerson).unwrap(),
            "\"in_person\""
        );
        assert_eq!(
            serde_json::to_string(&Qualifier::MoreThan).unwrap(),
            "\"more_than\""
        );
        assert_eq!(VisitLevel::parse("state"), Some(VisitLevel::State));
        assert_eq!(Status::parse("maybe"), None);
        assert!(ActorKind::Country == "country");
    }
}
