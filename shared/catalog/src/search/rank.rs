//! Scores procedures for a query.
//!
//! For each concept, how well a procedure answers it: per position, the best alternative's
//! BM25F weight (name, qualifiers, results, agencies and documents weighed and length
//! normalised before saturation) times its rarity; positions averaged by rarity; the best
//! phrasing. Concepts add up by importance: rarer asks count more, so a name holding the
//! rarest words of the query beats one that merely shares "cấp lại" or "giấy". Then:
//! - coverage: the share of the query's importance the procedure holds (half for words only
//!   its results, agencies or documents say) scales the score; the share its *name* holds
//!   says how confident the answer is (`Ranked::coverage`);
//! - phrases: words of the query side by side in a name count again, by how rare the pair is;
//! - precision: a name that is mostly what was asked beats a long one that says much else;
//! - residents: procedures that serve citizens lean ahead (the app's users are residents).
//!
//! Candidates come from the postings of the query's essential concepts only: the rarest ones
//! that together make up half of its importance. A procedure holding none of them cannot hold
//! half of what was asked, so it could only be a weak answer; it is considered only when no
//! candidate is a good one. Each candidate is then scored from its own word tables, so the
//! cost follows the rare words of the query, not the size of the catalog.

use rustc_hash::FxHashMap;

use super::index::{
    AGENCIES, BREAK, DOCUMENTS, Doc, FIELDS, Group, NAME, QUALIFIER, RESULTS, SearchIndex, TermId,
};
use super::query::{Alternative, Concept, Phrasing, Query};

/// Per field, in index order (name, qualifiers, results, agencies, documents): how much an
/// occurrence weighs, and how much a long field dilutes it (BM25's b).
const FIELD_WEIGHT: [f32; FIELDS] = [1.0, 0.45, 0.35, 0.15, 0.08];
const FIELD_LENGTH_NORM: [f32; FIELDS] = [0.6, 0.5, 0.6, 0.5, 0.7];
const _: () =
    assert!(NAME == 0 && QUALIFIER == 1 && RESULTS == 2 && AGENCIES == 3 && DOCUMENTS == 4);
const K1: f32 = 1.2;
const PAIR: f32 = 0.5;
const PRECISION: f32 = 2.0;
const FOR_CITIZENS: f32 = 0.3;
/// A word found only in results, agencies or documents covers this share of what it would
/// in the name.
const BODY_COVERAGE: f32 = 0.5;
/// The importance of a word the catalog has never seen (and no near spelling of it): about
/// that of an uncommon word, so one such word in a short query makes the answer weak.
const UNKNOWN_WORD: f32 = 3.0;
/// Coverage scales the score between this and `1 + this`.
const COVERAGE_FLOOR: f32 = 0.5;
const NO_SLOT: u16 = u16::MAX;
/// A word in more than one body in this many finds no candidates through bodies.
const COMMON_IN_BODIES: usize = 10;
/// The essential concepts make up this share of the query's importance.
const ESSENTIAL_SHARE: f32 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    pub doc: Doc,
    pub score: f32,
    /// Share of the query's importance its name holds, 0 to 1: how confident the answer is.
    pub coverage: f32,
}

/// A query prepared for scoring: its distinct words by slot, and every concept with what
/// does not depend on the document computed once.
struct Prepared<'q> {
    query: &'q Query,
    /// Every word any alternative names; a word's place in this list is its slot.
    terms: Vec<TermId>,
    /// Slots by term id, dense over the vocabulary (`NO_SLOT` where absent): the per
    /// candidate loops read it instead of hashing.
    dense: Vec<u16>,
    importance: Vec<f32>,
    concepts: Vec<PreparedConcept>,
    /// Last word of a typed concept and first of the next: (before, after) slots.
    across: Vec<(Vec<usize>, Vec<usize>)>,
    /// Sum of the importance of the concepts that must be covered.
    mass: f32,
    /// Rarity of word pairs the query may find side by side, by slots.
    pair_rarity: FxHashMap<(usize, usize), f32>,
}

impl Prepared<'_> {
    fn slot_of(&self, term: TermId) -> Option<usize> {
        match self.dense.get(term as usize) {
            Some(&slot) if slot != NO_SLOT => Some(usize::from(slot)),
            _ => None,
        }
    }
}

struct PreparedConcept {
    importance: f32,
    soft: bool,
    phrasings: Vec<PreparedPhrasing>,
}

struct PreparedPhrasing {
    /// The phrasing's confidence over the sum of its positions' rarity.
    scale: f32,
    /// Per position, its alternatives as (slot, confidence × rarity).
    positions: Vec<Vec<(usize, f32)>>,
    /// Scale of the pair bonus: the confidence shared among its steps.
    pair_scale: f32,
}

/// A group's score and how much of the query its name holds.
#[derive(Debug, Clone, Copy)]
struct Scored {
    score: f32,
    coverage: f32,
}

impl Scored {
    fn of(self, doc: Doc) -> Ranked {
        Ranked {
            doc,
            score: self.score,
            coverage: self.coverage,
        }
    }
}

/// What the ranking orders: a group of identical procedures, or one variant on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Entry {
    Group(Group),
    Doc(Doc),
}

/// What a document says of each query word (by slot).
#[derive(Debug, Clone, Copy, Default)]
struct Found {
    /// BM25F weight, saturated: 0 to 1.
    weight: f32,
    in_name: bool,
    anywhere: bool,
}

impl SearchIndex {
    /// The best `limit` documents for the query among those `allowed` passes, best first.
    pub fn rank(
        &self,
        query: &Query,
        allowed: Option<&dyn Fn(Doc) -> bool>,
        limit: usize,
    ) -> Vec<Ranked> {
        let prepared = self.prepare(query);
        let allow = |doc: Doc| allowed.is_none_or(|allow| allow(doc));
        let essential = self.essential(&prepared);
        let mut found = vec![Found::default(); prepared.terms.len()];
        let mut scored: FxHashMap<Group, Scored> = FxHashMap::default();
        let mut score_groups =
            |concepts: &[usize], every_body: bool, scored: &mut FxHashMap<Group, Scored>| {
                for group in self.candidates(&prepared, concepts, every_body) {
                    let members = &self.groups[group as usize].members;
                    if allowed.is_none() || members.iter().any(|&d| allow(d)) {
                        scored
                            .entry(group)
                            .or_insert_with(|| self.score(&prepared, group, &[], &mut found));
                    }
                }
            };
        score_groups(&essential, false, &mut scored);
        let good = scored.values().any(|s| s.coverage >= super::GOOD_COVERAGE);
        if !good && essential.len() < query.concepts.len() && !query.completing {
            // No good answer among them: let everything that holds any word compete. (Not
            // while a word is half typed: the finished query will.)
            let all: Vec<usize> = (0..query.concepts.len()).collect();
            score_groups(&all, true, &mut scored);
        }
        // Variants whose own place the query names rank on their own.
        let mut named_places: FxHashMap<Doc, Vec<TermId>> = FxHashMap::default();
        for &term in &prepared.terms {
            for &doc in self.places.get(&term).into_iter().flatten() {
                if scored.contains_key(&self.docs[doc as usize].group) && allow(doc) {
                    named_places.entry(doc).or_default().push(term);
                }
            }
        }
        let mut found = vec![Found::default(); prepared.terms.len()];
        let mut entries: Vec<(Scored, Entry)> = named_places
            .iter()
            .map(|(&doc, places)| {
                let group = self.docs[doc as usize].group;
                (
                    self.score(&prepared, group, places, &mut found),
                    Entry::Doc(doc),
                )
            })
            .collect();
        entries.extend(
            scored
                .into_iter()
                .map(|(group, s)| (s, Entry::Group(group))),
        );
        let name_len = |entry: &Entry| match entry {
            Entry::Doc(doc) => self.docs[*doc as usize].name_len,
            Entry::Group(group) => self.groups[*group as usize].lens[NAME],
        };
        entries.sort_by(|(a, x), (b, y)| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| name_len(x).cmp(&name_len(y)))
                .then_with(|| x.cmp(y))
        });
        let mut ranked = Vec::with_capacity(limit);
        for (scored, entry) in entries {
            if ranked.len() >= limit {
                break;
            }
            match entry {
                Entry::Doc(doc) => ranked.push(scored.of(doc)),
                Entry::Group(group) => {
                    let mut members: Vec<Doc> = self.groups[group as usize]
                        .members
                        .iter()
                        .copied()
                        .filter(|&d| allow(d) && !named_places.contains_key(&d))
                        .collect();
                    members.sort_by_key(|&d| (self.docs[d as usize].name_len, d));
                    ranked.extend(
                        members
                            .into_iter()
                            .take(limit - ranked.len())
                            .map(|d| scored.of(d)),
                    );
                }
            }
        }
        ranked
    }

    fn prepare<'q>(&self, query: &'q Query) -> Prepared<'q> {
        let terms = query.all_terms();
        let slot: FxHashMap<TermId, usize> =
            terms.iter().enumerate().map(|(i, &t)| (t, i)).collect();
        let slots = |alternatives: &[Alternative]| -> Vec<usize> {
            alternatives
                .iter()
                .filter_map(|a| slot.get(&a.term).copied())
                .collect()
        };
        let importance: Vec<f32> = query.concepts.iter().map(|c| self.importance(c)).collect();
        let mass = query
            .concepts
            .iter()
            .zip(&importance)
            .map(|(c, &i)| {
                if c.unknown() {
                    UNKNOWN_WORD
                } else if c.soft {
                    0.0
                } else {
                    i
                }
            })
            .sum();
        let concepts = query
            .concepts
            .iter()
            .zip(&importance)
            .map(|(concept, &importance)| PreparedConcept {
                importance,
                soft: concept.soft,
                phrasings: concept
                    .phrasings
                    .iter()
                    .map(|phrasing| {
                        let norm: f32 = phrasing
                            .positions
                            .iter()
                            .map(|a| self.position_idf(a))
                            .sum();
                        PreparedPhrasing {
                            scale: if norm > 0.0 {
                                phrasing.confidence / norm
                            } else {
                                0.0
                            },
                            positions: phrasing
                                .positions
                                .iter()
                                .map(|alternatives| {
                                    alternatives
                                        .iter()
                                        .filter_map(|a| {
                                            let slot = slot.get(&a.term).copied()?;
                                            Some((slot, a.confidence * self.idf(a.term)))
                                        })
                                        .collect()
                                })
                                .collect(),
                            pair_scale: phrasing.confidence
                                / phrasing.positions.len().saturating_sub(1).max(1) as f32,
                        }
                    })
                    .collect(),
            })
            .collect();
        let typed: Vec<&Phrasing> = query
            .concepts
            .iter()
            .filter(|c| c.start != usize::MAX)
            .filter_map(|c| c.phrasings.first())
            .collect();
        let across = typed
            .windows(2)
            .filter_map(|w| {
                Some((
                    slots(w[0].positions.last()?),
                    slots(w[1].positions.first()?),
                ))
            })
            .collect();
        let mut pair_rarity = FxHashMap::default();
        for (a, b) in self.adjacent_positions(query) {
            for x in a {
                for y in b {
                    if self.has_bigram(x.term, y.term) {
                        pair_rarity.insert(
                            (slot[&x.term], slot[&y.term]),
                            self.bigram_idf(x.term, y.term),
                        );
                    }
                }
            }
        }
        let mut dense = vec![NO_SLOT; self.vocabulary_len()];
        for (i, &term) in terms.iter().enumerate() {
            dense[term as usize] = u16::try_from(i).unwrap_or(NO_SLOT);
        }
        Prepared {
            query,
            terms,
            dense,
            importance,
            concepts,
            across,
            mass,
            pair_rarity,
        }
    }

    /// Pairs of positions whose words may stand side by side in a name: inside a phrasing,
    /// and across neighbouring typed concepts (the last word of one, the first of the next).
    fn adjacent_positions<'q>(
        &self,
        query: &'q Query,
    ) -> Vec<(&'q [Alternative], &'q [Alternative])> {
        let mut pairs = Vec::new();
        for concept in &query.concepts {
            for phrasing in &concept.phrasings {
                for w in phrasing.positions.windows(2) {
                    pairs.push((w[0].as_slice(), w[1].as_slice()));
                }
            }
        }
        let typed: Vec<&Phrasing> = query
            .concepts
            .iter()
            .filter(|c| c.start != usize::MAX)
            .filter_map(|c| c.phrasings.first())
            .collect();
        for w in typed.windows(2) {
            if let (Some(last), Some(first)) = (w[0].positions.last(), w[1].positions.first()) {
                pairs.push((last.as_slice(), first.as_slice()));
            }
        }
        pairs
    }

    /// The rarest concepts that together make up `ESSENTIAL_SHARE` of the importance.
    fn essential(&self, prepared: &Prepared<'_>) -> Vec<usize> {
        let concepts = &prepared.query.concepts;
        let settled = |c: usize| !concepts[c].completing || concepts.len() == 1;
        let mut order: Vec<usize> = (0..concepts.len())
            .filter(|&c| !concepts[c].soft && prepared.importance[c] > 0.0 && settled(c))
            .collect();
        order.sort_by(|&a, &b| prepared.importance[b].total_cmp(&prepared.importance[a]));
        let mut essential = Vec::new();
        let mut sum = 0.0;
        for c in order {
            if sum >= ESSENTIAL_SHARE * prepared.mass && !essential.is_empty() {
                break;
            }
            sum += prepared.importance[c];
            essential.push(c);
        }
        if essential.is_empty() {
            // Only suggestions and reasons: any of them will do.
            essential = (0..prepared.query.concepts.len()).collect();
        }
        essential
    }

    /// Documents that may answer the given concepts: those holding, in a name or a body, the
    /// rarest word of one of their phrasings (a phrasing is only matched with it).
    fn candidates(
        &self,
        prepared: &Prepared<'_>,
        concepts: &[usize],
        every_body: bool,
    ) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        let mut bodies: Vec<u32> = Vec::new();
        // A word in many bodies (their document lists say "giấy" everywhere) picks out
        // nothing; unless everything competes, such words find candidates through names only.
        let common = if every_body {
            usize::MAX
        } else {
            self.body_terms.len().div_ceil(COMMON_IN_BODIES)
        };
        for &c in concepts {
            for phrasing in &prepared.query.concepts[c].phrasings {
                let rarest = phrasing
                    .positions
                    .iter()
                    .max_by(|a, b| self.position_idf(a).total_cmp(&self.position_idf(b)));
                for alternative in rarest.into_iter().flatten() {
                    groups.extend(&self.name_postings[alternative.term as usize]);
                    let in_bodies = &self.body_postings[alternative.term as usize];
                    if in_bodies.len() <= common {
                        bodies.extend(in_bodies);
                    }
                }
            }
        }
        bodies.sort_unstable();
        bodies.dedup();
        for body in bodies {
            groups.extend(&self.body_groups[body as usize]);
        }
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// How much a concept matters: the rarity of its best phrasing (a phrase by its rarest
    /// pair of words, capped by the sum of its words), scaled by the concept's weight.
    pub fn importance(&self, concept: &Concept) -> f32 {
        let best = concept
            .phrasings
            .iter()
            .chain(&concept.said)
            .map(|phrasing| {
                let words: Vec<f32> = phrasing
                    .positions
                    .iter()
                    .map(|alternatives| self.position_idf(alternatives))
                    .collect();
                if words.len() == 1 {
                    return words[0];
                }
                let rarest_pair = phrasing
                    .positions
                    .windows(2)
                    .map(|pair| {
                        pair[0]
                            .iter()
                            .flat_map(|a| pair[1].iter().map(move |b| (a.term, b.term)))
                            .map(|(a, b)| self.bigram_idf(a, b))
                            .fold(0.0f32, f32::max)
                    })
                    .fold(0.0f32, f32::max);
                let sum: f32 = words.iter().sum();
                let rarest_word = words.iter().copied().fold(0.0f32, f32::max);
                sum.min(rarest_word.max(rarest_pair))
            })
            .fold(0.0f32, f32::max);
        concept.weight * best
    }

    /// A position's rarity: that of its most trusted alternatives (the word as typed, when
    /// the catalog knows it), never that of a regional spelling or a near miss.
    fn position_idf(&self, alternatives: &[Alternative]) -> f32 {
        let trusted = alternatives
            .iter()
            .map(|a| a.confidence)
            .fold(0.0f32, f32::max);
        alternatives
            .iter()
            .filter(|a| a.confidence >= trusted)
            .map(|a| self.idf(a.term))
            .fold(0.0f32, f32::max)
    }

    /// What `group` says of every query word, into `found` (one entry per slot), and the
    /// rarity its name accounts for. `places` are words of a variant's own qualifier.
    fn found(
        &self,
        prepared: &Prepared<'_>,
        group: Group,
        places: &[TermId],
        found: &mut [Found],
    ) -> f32 {
        found.fill(Found::default());
        let info = &self.groups[group as usize];
        let mut said = 0.0;
        let norm = |field: usize, len: u16| {
            1.0 - FIELD_LENGTH_NORM[field]
                + FIELD_LENGTH_NORM[field] * f32::from(len) / self.average_lens[field]
        };
        let (name_norm, qualifier_norm) = (
            norm(NAME, info.lens[NAME]),
            norm(QUALIFIER, info.lens[QUALIFIER]),
        );
        for t in self.name_terms[group as usize].iter() {
            if let Some(slot) = prepared.slot_of(t.term) {
                let f = &mut found[slot];
                f.weight += FIELD_WEIGHT[NAME] * f32::from(t.name) / name_norm
                    + FIELD_WEIGHT[QUALIFIER] * f32::from(t.qualifier) / qualifier_norm;
                f.in_name = true;
                f.anywhere = true;
                said += self.idf(t.term);
            }
        }
        for &place in places {
            if let Some(slot) = prepared.slot_of(place) {
                let f = &mut found[slot];
                f.weight += FIELD_WEIGHT[QUALIFIER] / qualifier_norm;
                f.in_name = true;
                f.anywhere = true;
                said += self.idf(place);
            }
        }
        let body = info.body as usize;
        let (terms, lens) = (&self.body_terms[body], self.body_lens[body]);
        let body_norms = [
            norm(RESULTS, lens[0]),
            norm(AGENCIES, lens[1]),
            norm(DOCUMENTS, lens[2]),
        ];
        for t in terms.iter() {
            if let Some(slot) = prepared.slot_of(t.term) {
                let f = &mut found[slot];
                for ((field, tf), norm) in [RESULTS, AGENCIES, DOCUMENTS]
                    .into_iter()
                    .zip(t.tf)
                    .zip(body_norms)
                {
                    f.weight += FIELD_WEIGHT[field] * f32::from(tf) / norm;
                }
                f.anywhere = true;
            }
        }
        for f in found.iter_mut() {
            f.weight /= K1 + f.weight;
        }
        said
    }

    fn score(
        &self,
        prepared: &Prepared<'_>,
        group: Group,
        places: &[TermId],
        found: &mut [Found],
    ) -> Scored {
        let said = self.found(prepared, group, places, found);
        let found = &*found;
        let (mut total, mut covered, mut named) = (0.0f32, 0.0f32, 0.0f32);
        for concept in &prepared.concepts {
            if concept.importance <= 0.0 {
                continue;
            }
            let (mut weight, mut cover, mut name) = (0.0f32, 0.0f32, 0.0f32);
            for phrasing in &concept.phrasings {
                let (mut w, mut c, mut n) = (0.0f32, 0.0f32, 0.0f32);
                for alternatives in &phrasing.positions {
                    let (mut best_w, mut best_c, mut best_n) = (0.0f32, 0.0f32, 0.0f32);
                    for &(slot, rarity) in alternatives {
                        let f = found[slot];
                        best_w = best_w.max(rarity * f.weight);
                        if f.in_name {
                            best_n = best_n.max(rarity);
                            best_c = best_c.max(rarity);
                        } else if f.anywhere {
                            best_c = best_c.max(BODY_COVERAGE * rarity);
                        }
                    }
                    w += best_w;
                    c += best_c;
                    n += best_n;
                }
                weight = weight.max(phrasing.scale * w);
                cover = cover.max(phrasing.scale * c);
                name = name.max(phrasing.scale * n);
            }
            total += concept.importance * weight;
            if !concept.soft {
                covered += concept.importance * cover.min(1.0);
                named += concept.importance * name.min(1.0);
            }
        }
        let info = &self.groups[group as usize];
        let (coverage, in_name) = if prepared.mass > 0.0 {
            (covered / prepared.mass, named / prepared.mass)
        } else {
            (0.0, 0.0)
        };
        // A named place adds to what the name says as much as to what it answers.
        let name_mass = info.name_mass + places.iter().map(|&p| self.idf(p)).sum::<f32>();
        let precision = if name_mass > 0.0 {
            said / name_mass
        } else {
            0.0
        };
        let citizens = if info.for_citizens { FOR_CITIZENS } else { 0.0 };
        let concepts = prepared.concepts.len().max(1) as f32;
        let score = total * (COVERAGE_FLOOR + coverage)
            + self.pairs(prepared, group)
            + (PRECISION * precision + citizens) * coverage * prepared.mass / concepts;
        Scored {
            score,
            coverage: in_name,
        }
    }

    /// Words of the query side by side in the name, by the pair's rarity: within each
    /// concept its best phrasing, and across neighbouring concepts.
    fn pairs(&self, prepared: &Prepared<'_>, group: Group) -> f32 {
        if prepared.pair_rarity.is_empty() {
            return 0.0;
        }
        // The name's adjacent word pairs the query may ask for, with their rarity.
        let sequence = &self.name_sequence[group as usize];
        let mut present: Vec<(usize, usize, f32)> = Vec::new();
        for w in sequence.windows(2) {
            if w[0] == BREAK || w[1] == BREAK {
                continue;
            }
            if let (Some(x), Some(y)) = (prepared.slot_of(w[0]), prepared.slot_of(w[1]))
                && let Some(&rarity) = prepared.pair_rarity.get(&(x, y))
            {
                present.push((x, y, rarity));
            }
        }
        if present.is_empty() {
            return 0.0;
        }
        let side_by_side = |a: &[usize], b: &[usize]| -> f32 {
            present
                .iter()
                .filter(|(x, y, _)| a.contains(x) && b.contains(y))
                .map(|p| p.2)
                .fold(0.0f32, f32::max)
        };
        let slots =
            |position: &[(usize, f32)]| -> Vec<usize> { position.iter().map(|p| p.0).collect() };
        let mut bonus = 0.0;
        for concept in &prepared.concepts {
            let mut best = 0.0f32;
            for phrasing in concept.phrasings.iter().filter(|p| p.positions.len() > 1) {
                let sum: f32 = phrasing
                    .positions
                    .windows(2)
                    .map(|w| side_by_side(&slots(&w[0]), &slots(&w[1])))
                    .sum();
                best = best.max(phrasing.pair_scale * sum);
            }
            bonus += best;
        }
        for (before, after) in &prepared.across {
            bonus += side_by_side(before, after);
        }
        PAIR * bonus
    }
}
