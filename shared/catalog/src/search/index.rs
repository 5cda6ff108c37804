//! The in-memory search index, derived from `procedures` and `procedure_text` and rebuilt
//! whenever the catalog changes.
//!
//! Five fields per procedure, weighed BM25F-style (see `rank.rs`): the name (without a
//! leading "thủ tục"), its qualifiers (the parts in parentheses: level, exceptions, aliases),
//! results, agencies and required documents. Abbreviations in a name are indexed with the
//! words they stand for, and the catalog's frequent phrases give the abbreviations people
//! type (`abbreviations`). Local variants of a procedure share their results, agencies and
//! documents, so those are kept once per distinct text ("body"), not once per procedure.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use civic_text::{fold_spans, fold_tokens, is_syllable};

use super::text::{is_abbreviation, parse_abbreviations};

/// An abbreviation in a name and the words it stands for.
type Spelled = (TermId, Box<[TermId]>);

/// A word of the catalog's vocabulary.
pub type TermId = u32;
/// A procedure's place in the index (not its SQLite id).
pub type Doc = u32;

/// The fields, in the order of `FIELD_*` weights in `rank.rs`.
pub const NAME: usize = 0;
pub const QUALIFIER: usize = 1;
pub const RESULTS: usize = 2;
pub const AGENCIES: usize = 3;
pub const DOCUMENTS: usize = 4;
pub const FIELDS: usize = 5;

/// One procedure as the index reads it from the store.
#[derive(Debug, Clone)]
pub struct IndexRow {
    pub row_id: i64,
    pub name: String,
    pub results: String,
    pub documents: String,
    pub agencies: String,
    pub abbreviations: String,
    pub for_citizens: bool,
}

/// A word of a name: its occurrences in the name and in the name's qualifiers.
#[derive(Debug, Clone, Copy)]
pub struct NameTerm {
    pub term: TermId,
    pub name: u8,
    pub qualifier: u8,
}

/// A word of a body: its occurrences in results, agencies, documents.
#[derive(Debug, Clone, Copy)]
pub struct BodyTerm {
    pub term: TermId,
    pub tf: [u8; 3],
}

/// Marks where one part of a name ends and the next begins in `name_sequence`.
pub const BREAK: TermId = TermId::MAX;

/// A procedure as a search result: one row of the catalog.
#[derive(Debug, Clone, Copy)]
pub struct DocInfo {
    pub row_id: i64,
    pub group: Group,
    /// Words in its own name (outside and inside parentheses), to order variants.
    pub name_len: u16,
}

/// Procedures that rank as one: the same name outside parentheses and the same results,
/// agencies and documents (the local variants of one procedure, differing only by place).
/// In a catalog without variants each group is one procedure.
pub type Group = u32;

#[derive(Debug, Clone, Default)]
pub struct GroupInfo {
    pub members: Vec<Doc>,
    pub body: u32,
    pub lens: [u16; 2],
    /// Sum of the idf of the name's distinct words: how much a name says.
    pub name_mass: f32,
    pub for_citizens: bool,
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    terms: Vec<Box<str>>,
    term_ids: FxHashMap<Box<str>, TermId>,
    /// Term ids in the order of their text, for prefixes.
    sorted: Vec<TermId>,
    pub(super) docs: Vec<DocInfo>,
    pub(super) groups: Vec<GroupInfo>,
    /// Per group: the words of its name, by term id (a group of variants: the words they
    /// all share).
    pub(super) name_terms: Vec<Box<[NameTerm]>>,
    /// Per group: its name's words in order (abbreviations spelled out), parts split by
    /// `BREAK`, for words side by side.
    pub(super) name_sequence: Vec<Box<[TermId]>>,
    /// Per body: its words by term id.
    pub(super) body_terms: Vec<Box<[BodyTerm]>>,
    pub(super) body_lens: Vec<[u16; 3]>,
    /// Term → groups whose name holds it; term → bodies holding it; body → groups.
    pub(super) name_postings: Vec<Vec<Group>>,
    pub(super) body_postings: Vec<Vec<u32>>,
    pub(super) body_groups: Vec<Vec<Group>>,
    /// Rare words of a variant's own qualifier (a place), not in its group's name → the
    /// variants holding them, so a resident who names the place finds that variant first.
    pub(super) places: FxHashMap<TermId, Vec<Doc>>,
    /// Adjacent words of names (abbreviations spelled out) → how many names hold them.
    bigrams: FxHashMap<(TermId, TermId), u32>,
    idf: Vec<f32>,
    /// Documents holding the word in any field, for `prefix_terms`.
    df: Vec<u32>,
    pub(super) average_lens: [f32; FIELDS],
    /// Initials → the catalog's frequent phrases with them, most frequent first.
    abbreviations: HashMap<Box<str>, Vec<Box<[TermId]>>>,
    /// Groups whose names hold abbreviations, with what each stands for (for highlights).
    spelled: HashMap<Group, Vec<Spelled>>,
}

/// A phrase must occur this often, and have at least three words, before its initials are
/// taken as an abbreviation people may type.
const ABBREVIATION_MIN_COUNT: u32 = 3;
const ABBREVIATION_WORDS: std::ops::RangeInclusive<usize> = 3..=6;
/// Less frequent readings of the same initials are kept while within this factor of the most
/// frequent ("đkkd": "đăng ký kinh doanh" and "điều kiện kinh doanh").
const ABBREVIATION_SPREAD: u32 = 5;
const ABBREVIATION_READINGS: usize = 3;

/// A name split into the part outside parentheses and the parts inside, folded.
struct SplitName {
    name: Vec<Vec<String>>,
    qualifier: Vec<Vec<String>>,
}

fn split_name(name: &str) -> SplitName {
    let mut split = SplitName {
        name: Vec::new(),
        qualifier: Vec::new(),
    };
    let mut depth = 0usize;
    let mut segment = String::new();
    let mut flush = |segment: &mut String, inside: bool| {
        let words = fold_tokens(segment);
        if !words.is_empty() {
            if inside {
                split.qualifier.push(words);
            } else {
                split.name.push(words);
            }
        }
        segment.clear();
    };
    for c in name.chars() {
        match c {
            '(' | '[' => {
                flush(&mut segment, depth > 0);
                depth += 1;
            }
            ')' | ']' => {
                flush(&mut segment, depth > 0);
                depth = depth.saturating_sub(1);
            }
            c => segment.push(c),
        }
    }
    flush(&mut segment, depth > 0);
    if let Some(first) = split.name.first_mut()
        && first.len() > 2
        && first[0] == "thu"
        && first[1] == "tuc"
    {
        first.drain(..2);
    }
    split
}

/// Words of the catalog, each once.
#[derive(Debug, Default)]
struct Vocabulary {
    terms: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, TermId>,
}

impl Vocabulary {
    fn intern(&mut self, word: &str) -> TermId {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.terms.len() as TermId;
        self.terms.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }

    fn intern_all(&mut self, words: &[String]) -> Vec<TermId> {
        words.iter().map(|w| self.intern(w)).collect()
    }
}

/// A name's segments as term ids, by field.
struct SplitTerms {
    name: Vec<Vec<TermId>>,
    qualifier: Vec<Vec<TermId>>,
}

/// The rows' text as term ids, with results, agencies and documents kept once per distinct
/// text (local variants share them).
struct Texts {
    names: Vec<SplitTerms>,
    /// Results, agencies, documents of each distinct body.
    bodies: Vec<[Vec<TermId>; 3]>,
    /// Row → its body.
    body_of: Vec<u32>,
}

impl Texts {
    fn read(rows: &[IndexRow], vocabulary: &mut Vocabulary) -> Self {
        let mut body_ids: HashMap<(&str, &str, &str), u32> = HashMap::new();
        let mut texts = Self {
            names: Vec::with_capacity(rows.len()),
            bodies: Vec::new(),
            body_of: Vec::with_capacity(rows.len()),
        };
        let words = |text: &str, vocabulary: &mut Vocabulary| -> Vec<TermId> {
            text.split(' ')
                .filter(|w| !w.is_empty())
                .map(|w| vocabulary.intern(w))
                .collect()
        };
        for row in rows {
            let split = split_name(&row.name);
            texts.names.push(SplitTerms {
                name: split
                    .name
                    .iter()
                    .map(|s| vocabulary.intern_all(s))
                    .collect(),
                qualifier: split
                    .qualifier
                    .iter()
                    .map(|s| vocabulary.intern_all(s))
                    .collect(),
            });
            let key = (
                row.results.as_str(),
                row.agencies.as_str(),
                row.documents.as_str(),
            );
            let next = texts.bodies.len() as u32;
            let body = *body_ids.entry(key).or_insert(next);
            if body == next {
                texts.bodies.push([
                    words(&row.results, vocabulary),
                    words(&row.agencies, vocabulary),
                    words(&row.documents, vocabulary),
                ]);
            }
            texts.body_of.push(body);
        }
        texts
    }

    /// The catalog's phrases by their initials, counted over distinct names (a name shared by
    /// local variants counts once), results and documents.
    fn phrase_readings(&self, vocabulary: &Vocabulary) -> HashMap<String, Vec<Box<[TermId]>>> {
        let mut seen: FxHashSet<&[Vec<TermId>]> = FxHashSet::default();
        let distinct_names: Vec<&Vec<TermId>> = self
            .names
            .iter()
            .filter(|split| seen.insert(split.name.as_slice()))
            .flat_map(|split| &split.name)
            .collect();
        let texts = || {
            distinct_names.iter().map(|w| w.as_slice()).chain(
                self.bodies
                    .iter()
                    .flat_map(|[results, _, documents]| [results.as_slice(), documents.as_slice()]),
            )
        };
        let mut phrases = PhraseCounts::new(vocabulary);
        texts().for_each(|words| phrases.count(words));
        texts().for_each(|words| phrases.neighbours(words));
        phrases.readings(vocabulary)
    }
}

/// Rows gathered into groups of identical procedures (see [`Group`]).
struct Grouping {
    group_of: Vec<Group>,
    members: Vec<Vec<Doc>>,
    body: Vec<u32>,
    /// Per group, the name it is ranked by: the name outside parentheses and the parts in
    /// parentheses that every member has.
    names: Vec<SplitTerms>,
}

/// A word in this many variants' own qualifiers or fewer is a place worth finding them by.
const PLACE_SHARE: usize = 100;

impl Grouping {
    fn of(texts: &Texts) -> Self {
        let mut ids: FxHashMap<(&[Vec<TermId>], u32), Group> = FxHashMap::default();
        let mut grouping = Self {
            group_of: Vec::with_capacity(texts.names.len()),
            members: Vec::new(),
            body: Vec::new(),
            names: Vec::new(),
        };
        for (doc, (split, &body)) in texts.names.iter().zip(&texts.body_of).enumerate() {
            let next = grouping.members.len() as Group;
            let group = *ids.entry((split.name.as_slice(), body)).or_insert(next);
            if group == next {
                grouping.members.push(Vec::new());
                grouping.body.push(body);
                grouping.names.push(SplitTerms {
                    name: split.name.clone(),
                    qualifier: split.qualifier.clone(),
                });
            }
            grouping.members[group as usize].push(doc as Doc);
            grouping.group_of.push(group);
        }
        for (group, members) in grouping.members.iter().enumerate() {
            if members.len() > 1 {
                let shared = &mut grouping.names[group].qualifier;
                shared.retain(|part| {
                    members
                        .iter()
                        .all(|&d| texts.names[d as usize].qualifier.contains(part))
                });
            }
        }
        grouping
    }

    /// Rare words of variants' own qualifiers that their group's name lacks → the variants.
    fn places(
        &self,
        texts: &Texts,
        group_names: &[Box<[NameTerm]>],
        rows: usize,
    ) -> FxHashMap<TermId, Vec<Doc>> {
        let mut places: FxHashMap<TermId, Vec<Doc>> = FxHashMap::default();
        for (group, members) in self.members.iter().enumerate().filter(|(_, m)| m.len() > 1) {
            let named = &group_names[group];
            for &doc in members {
                let mut own: Vec<TermId> = texts.names[doc as usize]
                    .qualifier
                    .iter()
                    .flatten()
                    .copied()
                    .collect();
                own.sort_unstable();
                own.dedup();
                for term in own {
                    if named.binary_search_by_key(&term, |t| t.term).is_err() {
                        places.entry(term).or_default().push(doc);
                    }
                }
            }
        }
        let most = (rows / PLACE_SHARE).max(1);
        places.retain(|_, docs| docs.len() <= most);
        places
    }
}

/// A name as indexed: its segments (field, terms), with abbreviations spelled out.
#[derive(Default)]
struct IndexedName {
    segments: Vec<(usize, Vec<TermId>)>,
    /// The abbreviations as written, indexed beside the words they stand for.
    abbreviations: Vec<TermId>,
    lens: [u16; 2],
}

/// A run of up to six words, as a key.
type Run = ([TermId; 6], u8);

fn run_key(words: &[TermId]) -> Run {
    let mut key = [0; 6];
    key[..words.len()].copy_from_slice(words);
    (key, words.len() as u8)
}

/// Runs of words whose initials may be an abbreviation, counted with the words beside them.
struct PhraseCounts {
    /// Per term: whether it has the shape of a syllable.
    syllable: Vec<bool>,
    counts: FxHashMap<Run, u32>,
    /// (run, neighbour) → occurrences, for runs seen often enough; filled by `neighbours`.
    left: FxHashMap<(Run, TermId), u32>,
    right: FxHashMap<(Run, TermId), u32>,
}

impl PhraseCounts {
    fn new(vocabulary: &Vocabulary) -> Self {
        Self {
            syllable: vocabulary.terms.iter().map(|t| is_syllable(t)).collect(),
            counts: FxHashMap::default(),
            left: FxHashMap::default(),
            right: FxHashMap::default(),
        }
    }

    /// (start, run) for every run of syllables of the lengths abbreviations have.
    fn runs<'a>(&'a self, words: &'a [TermId]) -> impl Iterator<Item = (usize, &'a [TermId])> + 'a {
        ABBREVIATION_WORDS.flat_map(move |len| {
            words
                .windows(len)
                .enumerate()
                .filter(|(_, run)| run.iter().all(|&w| self.syllable[w as usize]))
        })
    }

    fn count(&mut self, words: &[TermId]) {
        let keys: Vec<Run> = self.runs(words).map(|(_, run)| run_key(run)).collect();
        for key in keys {
            *self.counts.entry(key).or_default() += 1;
        }
    }

    /// Second pass over the same texts: the words beside the frequent runs.
    fn neighbours(&mut self, words: &[TermId]) {
        let frequent: Vec<(usize, usize, Run)> = self
            .runs(words)
            .map(|(at, run)| (at, run.len(), run_key(run)))
            .filter(|(_, _, key)| {
                self.counts.get(key).copied().unwrap_or(0) >= ABBREVIATION_MIN_COUNT
            })
            .collect();
        for (at, len, key) in frequent {
            if let Some(&before) = at.checked_sub(1).and_then(|i| words.get(i)) {
                *self.left.entry((key, before)).or_default() += 1;
            }
            if let Some(&after) = words.get(at + len) {
                *self.right.entry((key, after)).or_default() += 1;
            }
        }
    }

    /// Initials → the frequent, whole phrases with them, most frequent first. A run nearly
    /// always preceded or followed by the same word is a piece of a longer phrase ("cước căn
    /// cước điện" of "căn cước điện tử"), not a phrase anyone abbreviates.
    fn readings(self, vocabulary: &Vocabulary) -> HashMap<String, Vec<Box<[TermId]>>> {
        let mut best_neighbour: FxHashMap<Run, u32> = FxHashMap::default();
        for ((run, _), &n) in self.left.iter().chain(&self.right) {
            let best = best_neighbour.entry(*run).or_default();
            *best = (*best).max(n);
        }
        let mut by_initials: HashMap<String, Vec<(u32, &[TermId])>> = HashMap::new();
        for (run, &count) in &self.counts {
            if count < ABBREVIATION_MIN_COUNT {
                continue;
            }
            let neighbour = best_neighbour.get(run).copied().unwrap_or(0);
            if neighbour * FRAGMENT_DENOMINATOR >= count * FRAGMENT_NUMERATOR {
                continue;
            }
            let words = &run.0[..usize::from(run.1)];
            let initials: String = words
                .iter()
                .filter_map(|&w| vocabulary.terms[w as usize].chars().next())
                .collect();
            by_initials
                .entry(initials)
                .or_default()
                .push((count, words));
        }
        let text = |words: &[TermId]| -> Vec<&str> {
            words
                .iter()
                .map(|&w| &*vocabulary.terms[w as usize])
                .collect()
        };
        by_initials
            .into_iter()
            .filter_map(|(initials, mut phrases)| {
                phrases.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| text(a.1).cmp(&text(b.1))));
                let top = phrases.first()?.0;
                let kept: Vec<Box<[TermId]>> = phrases
                    .into_iter()
                    .take(ABBREVIATION_READINGS)
                    .filter(|(count, _)| count * ABBREVIATION_SPREAD >= top)
                    .map(|(_, phrase)| phrase.into())
                    .collect();
                Some((initials, kept))
            })
            .collect()
    }
}

/// A run whose commonest neighbour accounts for this share of its occurrences is a fragment.
const FRAGMENT_NUMERATOR: u32 = 4;
const FRAGMENT_DENOMINATOR: u32 = 5;

impl SearchIndex {
    pub fn build(rows: Vec<IndexRow>) -> Self {
        let mut vocabulary = Vocabulary::default();
        let texts = Texts::read(&rows, &mut vocabulary);
        let readings = texts.phrase_readings(&vocabulary);
        let mut index = Self::default();
        let grouping = Grouping::of(&texts);
        let names: Vec<IndexedName> = grouping
            .names
            .iter()
            .enumerate()
            .map(|(group, split)| {
                let representative = grouping.members[group][0] as usize;
                index.index_name(
                    group as Group,
                    split,
                    &rows[representative].abbreviations,
                    &readings,
                    &mut vocabulary,
                )
            })
            .collect();
        index.abbreviations = readings
            .into_iter()
            .map(|(initials, phrases)| (initials.into_boxed_str(), phrases))
            .collect();
        index.terms = vocabulary.terms;
        index.term_ids = vocabulary.ids;
        index.post(&rows, &names, &grouping, &texts);
        index
    }

    /// A name's words as term ids, its abbreviations spelled out in place (by the procedure's
    /// own words, else by the catalog's commonest phrase with those initials).
    fn index_name(
        &mut self,
        group: Group,
        split: &SplitTerms,
        own: &str,
        readings: &HashMap<String, Vec<Box<[TermId]>>>,
        vocabulary: &mut Vocabulary,
    ) -> IndexedName {
        let own: Vec<(String, Box<[TermId]>)> = parse_abbreviations(own)
            .into_iter()
            .map(|(short, words)| (short, vocabulary.intern_all(&words).into()))
            .collect();
        let mut indexed = IndexedName::default();
        for (field, segments) in [(NAME, &split.name), (QUALIFIER, &split.qualifier)] {
            for segment in segments {
                let mut terms = Vec::with_capacity(segment.len());
                for &raw in segment {
                    indexed.lens[field] = indexed.lens[field].saturating_add(1);
                    let word = &vocabulary.terms[raw as usize];
                    let spelled = if is_abbreviation(word) {
                        own.iter()
                            .find(|(short, _)| **short == **word)
                            .map(|(_, words)| words.clone())
                            .or_else(|| readings.get(&**word).and_then(|r| r.first().cloned()))
                    } else {
                        None
                    };
                    match spelled {
                        Some(ids) => {
                            terms.extend(ids.iter().copied());
                            indexed.abbreviations.push(raw);
                            self.spelled.entry(group).or_default().push((raw, ids));
                        }
                        None => terms.push(raw),
                    }
                }
                indexed.segments.push((field, terms));
            }
        }
        indexed
    }

    /// Postings, frequencies (over groups: distinct procedures), phrase pairs, rarity, and
    /// the facts kept per group and per document.
    fn post(
        &mut self,
        rows: &[IndexRow],
        names: &[IndexedName],
        grouping: &Grouping,
        texts: &Texts,
    ) {
        let vocabulary = self.terms.len();
        let groups = names.len();
        self.name_postings = vec![Vec::new(); vocabulary];
        self.body_postings = vec![Vec::new(); vocabulary];
        self.body_groups = vec![Vec::new(); texts.bodies.len()];
        let mut df = vec![0u32; vocabulary];
        let mut name_df = vec![0u32; vocabulary];
        for (body, fields) in texts.bodies.iter().enumerate() {
            let mut tf: FxHashMap<TermId, [u8; 3]> = FxHashMap::default();
            for (field, terms) in fields.iter().enumerate() {
                for &term in terms {
                    let count = &mut tf.entry(term).or_default()[field];
                    *count = count.saturating_add(1);
                }
            }
            let mut terms: Vec<BodyTerm> = tf
                .into_iter()
                .map(|(term, tf)| BodyTerm { term, tf })
                .collect();
            terms.sort_unstable_by_key(|t| t.term);
            for t in &terms {
                self.body_postings[t.term as usize].push(body as u32);
            }
            self.body_terms.push(terms.into());
            self.body_lens.push(
                fields
                    .each_ref()
                    .map(|f| u16::try_from(f.len()).unwrap_or(u16::MAX)),
            );
        }
        let mut totals = [0f64; FIELDS];
        for (group, name) in names.iter().enumerate() {
            let group = group as Group;
            let body = grouping.body[group as usize];
            self.body_groups[body as usize].push(group);
            let mut counts: FxHashMap<TermId, [u8; 2]> = FxHashMap::default();
            let mut sequence: Vec<TermId> = Vec::new();
            let mut pairs: Vec<(TermId, TermId)> = Vec::new();
            for (field, terms) in &name.segments {
                for &term in terms {
                    let count = &mut counts.entry(term).or_default()[*field];
                    *count = count.saturating_add(1);
                }
                pairs.extend(terms.windows(2).map(|w| (w[0], w[1])));
                if !sequence.is_empty() {
                    sequence.push(BREAK);
                }
                sequence.extend(terms);
            }
            pairs.sort_unstable();
            pairs.dedup();
            for pair in pairs {
                *self.bigrams.entry(pair).or_default() += 1;
            }
            for &raw in &name.abbreviations {
                counts.entry(raw).or_default()[NAME] = 1;
            }
            let body_terms = &self.body_terms[body as usize];
            let mut terms: Vec<NameTerm> = counts
                .into_iter()
                .map(|(term, [name, qualifier])| NameTerm {
                    term,
                    name,
                    qualifier,
                })
                .collect();
            terms.sort_unstable_by_key(|t| t.term);
            for t in &terms {
                self.name_postings[t.term as usize].push(group);
                name_df[t.term as usize] += 1;
                if body_terms
                    .binary_search_by_key(&t.term, |b| b.term)
                    .is_err()
                {
                    df[t.term as usize] += 1;
                }
            }
            for t in body_terms.iter() {
                df[t.term as usize] += 1;
            }
            self.name_terms.push(terms.into());
            self.name_sequence.push(sequence.into());
            let body_lens = self.body_lens[body as usize];
            for (field, len) in [
                (NAME, name.lens[NAME]),
                (QUALIFIER, name.lens[QUALIFIER]),
                (RESULTS, body_lens[0]),
                (AGENCIES, body_lens[1]),
                (DOCUMENTS, body_lens[2]),
            ] {
                totals[field] += f64::from(len);
            }
        }
        let count = groups.max(1) as f64;
        self.average_lens = totals.map(|t| ((t / count) as f32).max(1.0));
        // A word's rarity: in names mostly, where a resident's words should be found.
        self.idf = name_df
            .iter()
            .zip(&df)
            .map(|(&in_names, &anywhere)| {
                idf_of(0.7 * f64::from(in_names) + 0.3 * f64::from(anywhere), count)
            })
            .collect();
        self.df = df;
        for (group, members) in grouping.members.iter().enumerate() {
            let representative = &rows[members[0] as usize];
            let name_mass = self.name_terms[group]
                .iter()
                .map(|t| self.idf[t.term as usize])
                .sum();
            self.groups.push(GroupInfo {
                members: members.clone(),
                body: grouping.body[group],
                lens: names[group].lens,
                name_mass,
                for_citizens: representative.for_citizens,
            });
        }
        for (doc, row) in rows.iter().enumerate() {
            let split = &texts.names[doc];
            let words = split
                .name
                .iter()
                .chain(&split.qualifier)
                .map(Vec::len)
                .sum::<usize>();
            self.docs.push(DocInfo {
                row_id: row.row_id,
                group: grouping.group_of[doc],
                name_len: u16::try_from(words).unwrap_or(u16::MAX),
            });
        }
        self.places = grouping.places(texts, &self.name_terms, rows.len());
        let mut sorted: Vec<TermId> = (0..vocabulary as TermId).collect();
        sorted.sort_unstable_by(|&a, &b| self.terms[a as usize].cmp(&self.terms[b as usize]));
        self.sorted = sorted;
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    #[cfg(test)]
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    pub fn vocabulary_len(&self) -> usize {
        self.terms.len()
    }

    pub fn term(&self, word: &str) -> Option<TermId> {
        self.term_ids.get(word).copied()
    }

    pub fn text(&self, term: TermId) -> &str {
        &self.terms[term as usize]
    }

    pub fn idf(&self, term: TermId) -> f32 {
        self.idf[term as usize]
    }

    /// Rarity of two words side by side in names: high when few names say them together.
    pub fn bigram_idf(&self, a: TermId, b: TermId) -> f32 {
        let df = self.bigrams.get(&(a, b)).copied().unwrap_or(0);
        idf_of(f64::from(df), self.groups.len().max(1) as f64)
    }

    /// Whether some name says `a` then `b`.
    pub fn has_bigram(&self, a: TermId, b: TermId) -> bool {
        self.bigrams.contains_key(&(a, b))
    }

    /// Words starting with `prefix`, the most widespread first, at most `limit`.
    pub fn prefix_terms(&self, prefix: &str, limit: usize) -> Vec<TermId> {
        let start = self
            .sorted
            .partition_point(|&t| &*self.terms[t as usize] < prefix);
        let mut found: Vec<TermId> = self.sorted[start..]
            .iter()
            .take_while(|&&t| self.terms[t as usize].starts_with(prefix))
            .copied()
            .collect();
        found.sort_by(|&a, &b| {
            self.df[b as usize]
                .cmp(&self.df[a as usize])
                .then(a.cmp(&b))
        });
        found.truncate(limit);
        found
    }

    /// How widespread a word is: documents holding it in any field.
    pub fn df(&self, term: TermId) -> u32 {
        self.df[term as usize]
    }

    /// The catalog's phrases whose initials are `word` ("gcn" → "giấy chứng nhận").
    pub fn abbreviation(&self, word: &str) -> &[Box<[TermId]>] {
        self.abbreviations.get(word).map_or(&[], Vec::as_slice)
    }

    /// The document for a SQLite id.
    pub fn doc_of(&self, row_id: i64) -> Option<Doc> {
        // Rows are read in id order, so docs are sorted by row id.
        self.docs
            .binary_search_by_key(&row_id, |d| d.row_id)
            .ok()
            .map(|d| d as Doc)
    }

    /// Byte ranges of the words of `name` (as written) that `matched` words account for,
    /// an abbreviation included when a word it stands for matched.
    pub fn highlights(
        &self,
        doc: Doc,
        name: &str,
        matched: &[TermId],
    ) -> Vec<std::ops::Range<usize>> {
        let spelled = self
            .docs
            .get(doc as usize)
            .and_then(|d| self.spelled.get(&d.group));
        fold_spans(name)
            .into_iter()
            .filter(|word| {
                let Some(term) = self.term(&word.folded) else {
                    return false;
                };
                matched.contains(&term)
                    || spelled.into_iter().flatten().any(|(raw, words)| {
                        *raw == term && words.iter().any(|w| matched.contains(w))
                    })
            })
            .map(|word| word.span)
            .collect()
    }

    /// An estimate of the memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        fn nested<T>(v: &[Vec<T>]) -> usize {
            v.iter()
                .map(|x| x.capacity() * size_of::<T>() + size_of::<Vec<T>>())
                .sum()
        }
        fn boxed<T>(v: &[Box<[T]>]) -> usize {
            v.iter()
                .map(|x| x.len() * size_of::<T>() + size_of::<Box<[T]>>())
                .sum()
        }
        let strings: usize = self
            .terms
            .iter()
            .map(|t| 2 * (t.len() + size_of::<Box<str>>()) + size_of::<TermId>())
            .sum();
        let abbreviations: usize = self
            .abbreviations
            .iter()
            .map(|(k, v)| k.len() + boxed(v) + size_of::<Vec<Box<[TermId]>>>())
            .sum();
        strings
            + abbreviations
            + boxed(&self.name_terms)
            + boxed(&self.name_sequence)
            + boxed(&self.body_terms)
            + nested(&self.name_postings)
            + nested(&self.body_postings)
            + nested(&self.body_groups)
            + self
                .places
                .values()
                .map(|d| d.capacity() * 4 + 40)
                .sum::<usize>()
            + self
                .groups
                .iter()
                .map(|g| g.members.capacity() * 4 + std::mem::size_of::<GroupInfo>())
                .sum::<usize>()
            + self.bigrams.capacity() * (size_of::<(TermId, TermId)>() + size_of::<u32>() + 1)
            + self.docs.capacity() * size_of::<DocInfo>()
            + (self.sorted.capacity() + self.idf.capacity() + self.df.capacity()) * 4
            + self.body_lens.capacity() * size_of::<[u16; 3]>()
    }
}

fn idf_of(df: f64, documents: f64) -> f32 {
    ((documents - df + 0.5) / (df + 0.5)).ln_1p() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, results: &str) -> IndexRow {
        IndexRow {
            row_id: id,
            name: name.to_owned(),
            results: civic_text::fold(results),
            documents: String::new(),
            agencies: String::new(),
            abbreviations: String::new(),
            for_citizens: true,
        }
    }

    #[test]
    fn names_split_into_the_name_and_its_qualifiers() {
        let split = split_name("Thủ tục cấp thẻ căn cước (thực hiện tại cấp tỉnh)");
        assert_eq!(split.name, vec![fold_tokens("cấp thẻ căn cước")]);
        assert_eq!(split.qualifier, vec![fold_tokens("thực hiện tại cấp tỉnh")]);
    }

    #[test]
    fn frequent_phrases_become_abbreviations_and_names_spell_theirs_out() {
        let rows = vec![
            row(1, "Cấp giấy chứng nhận quyền sử dụng đất", ""),
            row(2, "Cấp đổi giấy chứng nhận đăng ký kinh doanh", ""),
            row(3, "Đính chính giấy chứng nhận đầu tư", ""),
            row(4, "Cấp lại GCN đã cấp", ""),
            row(5, "Chuyển nhượng quyền sử dụng đất", ""),
            row(6, "Thế chấp quyền sử dụng đất", ""),
            // Always preceded by the same word: a piece of "giao khu vực biển", not a phrase.
            row(7, "Giao khu vực biển cho tổ chức", ""),
            row(8, "Giao khu vực biển cho cá nhân", ""),
            row(9, "Thu hồi quyết định giao khu vực biển", ""),
        ];
        let index = SearchIndex::build(rows);
        let spelled = |word: &str| -> Vec<String> {
            index
                .abbreviation(word)
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|&t| index.text(t))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        };
        assert_eq!(spelled("gcn"), vec!["giay chung nhan"]);
        assert_eq!(spelled("qsdd"), vec!["quyen su dung dat"]);
        assert!(spelled("kvb").is_empty(), "{:?}", spelled("kvb"));
        // "GCN" in a name is found by the words it stands for, and shown on the letters.
        let giay = index.term("giay").expect("giay");
        let doc = index.doc_of(4).expect("doc");
        assert!(index.name_postings[giay as usize].contains(&doc));
        let name = "Cấp lại GCN đã cấp";
        let marked: Vec<&str> = index
            .highlights(doc, name, &[giay])
            .into_iter()
            .map(|r| &name[r])
            .collect();
        assert_eq!(marked, vec!["GCN"]);
    }

    #[test]
    fn local_variants_share_one_body() {
        let rows = (0..10)
            .map(|i| {
                row(
                    i,
                    &format!("Đăng ký khai sinh (xã {i})"),
                    "Trích lục khai sinh",
                )
            })
            .collect();
        let index = SearchIndex::build(rows);
        assert_eq!(index.body_lens.len(), 1);
        // One procedure in ten places: one group, the place a word of each variant's own.
        assert_eq!(index.group_count(), 1);
        assert_eq!(index.groups[0].members.len(), 10);
        let trich = index.term("trich").expect("trich");
        assert_eq!(index.body_postings[trich as usize], vec![0]);
        // Rarity counts distinct procedures, not their copies.
        assert_eq!(index.df(trich), 1);
        // A word only one variant's place has finds that variant; "xã", in all, finds none.
        let seven = index.term("7").expect("7");
        assert_eq!(index.places.get(&seven), Some(&vec![7]));
        assert!(!index.places.contains_key(&index.term("xa").expect("xa")));
    }

    #[test]
    fn prefixes_list_the_most_widespread_words_first() {
        let rows = vec![
            row(1, "Đăng ký khai sinh", ""),
            row(2, "Đăng ký khai tử", ""),
            row(3, "Khai thác khoáng sản", ""),
        ];
        let index = SearchIndex::build(rows);
        let words: Vec<&str> = index
            .prefix_terms("kh", 10)
            .into_iter()
            .map(|t| index.text(t))
            .collect();
        assert_eq!(words[0], "khai", "in three names");
        assert!(words.contains(&"khoang"));
        assert!(index.prefix_terms("zz", 10).is_empty());
    }
}
