//! What a running job tells the window and the command line, and the tally behind it.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::enrich::outcome::{Outcome, Reason};
use crate::enrich::store::JobId;

/// A number and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The 10-digit national number.
    pub number: String,
    /// What became of it.
    pub outcome: Outcome,
}

/// Counts for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Unique numbers in the job, cached ones included.
    pub total: usize,
    /// Numbers answered from the local cache, without a credit.
    pub cached: usize,
    /// Numbers the service has accepted.
    pub submitted: usize,
    /// Numbers with a name.
    pub found: usize,
    /// Numbers the service looked up without finding a name.
    pub not_found: usize,
    /// Numbers that will not be looked up in this run.
    pub failed: usize,
    /// A guess at the time left, once there is enough to go on.
    pub eta: Option<Duration>,
}

impl Progress {
    /// Numbers with an answer or a failure.
    pub fn done(&self) -> usize {
        self.found + self.not_found + self.failed
    }

    /// Numbers still waiting for an answer.
    pub fn pending(&self) -> usize {
        self.total.saturating_sub(self.done())
    }

    /// The share done, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            self.done() as f32 / self.total as f32
        }
    }
}

/// Something a running job reports.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    /// The job is recorded in the store and about to send its first chunk.
    Started {
        /// Its id in the store.
        job_id: JobId,
        /// Chunks planned.
        num_chunks: usize,
    },
    /// Answers for some numbers: names, "not found", or why they were not looked up.
    Lookups(Vec<Lookup>),
    /// New counts.
    Progress(Progress),
    /// The job ended; nothing more follows.
    Finished(JobSummary),
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobSummary {
    /// Its id in the store, when it got that far.
    pub job_id: Option<JobId>,
    /// The final counts.
    pub progress: Progress,
    /// What became of every number in the job.
    pub outcomes: HashMap<String, Outcome>,
    /// Why it stopped before looking every number up, if it did.
    pub stop_reason: Option<Reason>,
}

impl JobSummary {
    /// Numbers not looked up, by reason.
    pub fn not_looked_up(&self) -> BTreeMap<&Reason, usize> {
        let mut counts = BTreeMap::new();
        for outcome in self.outcomes.values() {
            if let Outcome::NotLookedUp(reason) = outcome {
                *counts.entry(reason).or_insert(0) += 1;
            }
        }
        counts
    }

    /// True when every number got an answer (a name or "not found").
    pub fn is_complete(&self) -> bool {
        self.outcomes
            .values()
            .all(|outcome| !matches!(outcome, Outcome::NotLookedUp(_)))
    }
}

/// The running counts and answers of one job, shared by its tasks.
#[derive(Debug)]
pub(crate) struct Tally {
    pub(crate) progress: Progress,
    pub(crate) outcomes: HashMap<String, Outcome>,
    started: Instant,
    first_answer: Option<(Instant, usize)>,
}

impl Tally {
    pub(crate) fn new(total: usize) -> Self {
        Self {
            progress: Progress {
                total,
                ..Progress::default()
            },
            outcomes: HashMap::with_capacity(total),
            started: Instant::now(),
            first_answer: None,
        }
    }

    /// Records answers; a number already settled keeps its first answer. Returns the lookups
    /// that were new.
    pub(crate) fn record(&mut self, lookups: Vec<Lookup>, from_cache: bool) -> Vec<Lookup> {
        let mut fresh = Vec::with_capacity(lookups.len());
        for lookup in lookups {
            if self.outcomes.contains_key(&lookup.number) {
                continue;
            }
            match &lookup.outcome {
                Outcome::Found { .. } => self.progress.found += 1,
                Outcome::NotFound => self.progress.not_found += 1,
                Outcome::NotLookedUp(_) => self.progress.failed += 1,
            }
            if from_cache {
                self.progress.cached += 1;
            }
            self.outcomes
                .insert(lookup.number.clone(), lookup.outcome.clone());
            fresh.push(lookup);
        }
        if !from_cache && !fresh.is_empty() && self.first_answer.is_none() {
            self.first_answer = Some((Instant::now(), self.progress.done()));
        }
        self.progress.eta = self.eta();
        fresh
    }

    /// Time left at the rate answers have come in since the first one.
    fn eta(&self) -> Option<Duration> {
        let (since, done_then) = self.first_answer?;
        let answered = self.progress.done().saturating_sub(done_then);
        let elapsed = since.elapsed().max(self.started.elapsed() / 2);
        if answered == 0 || elapsed.is_zero() {
            return None;
        }
        let per_number = elapsed.as_secs_f64() / answered as f64;
        Some(Duration::from_secs_f64(
            per_number * self.progress.pending() as f64,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(number: &str, outcome: Outcome) -> Lookup {
        Lookup {
            number: number.to_owned(),
            outcome,
        }
    }

    #[test]
    fn the_first_answer_for_a_number_wins() {
        let mut tally = Tally::new(3);
        let fresh = tally.record(
            vec![
                lookup(
                    "9876543210",
                    Outcome::Found {
                        name: "Asha".into(),
                    },
                ),
                lookup("9876543211", Outcome::NotFound),
            ],
            false,
        );
        assert_eq!(fresh.len(), 2);
        let fresh = tally.record(
            vec![lookup(
                "9876543210",
                Outcome::NotLookedUp(Reason::Cancelled),
            )],
            false,
        );
        assert!(fresh.is_empty());
        assert_eq!(tally.progress.found, 1);
        assert_eq!(tally.progress.not_found, 1);
        assert_eq!(tally.progress.pending(), 1);
    }

    #[test]
    fn summaries_count_reasons() {
        let mut summary = JobSummary::default();
        summary.outcomes.insert("1".into(), Outcome::NotFound);
        assert!(summary.is_complete());
        summary
            .outcomes
            .insert("2".into(), Outcome::NotLookedUp(Reason::DailyLimit));
        summary
            .outcomes
            .insert("3".into(), Outcome::NotLookedUp(Reason::DailyLimit));
        assert!(!summary.is_complete());
        assert_eq!(summary.not_looked_up()[&Reason::DailyLimit], 2);
    }
}
