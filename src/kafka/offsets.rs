//! Which input offset is safe to commit, per partition.
//!
//! Messages of one partition start in offset order but may finish in any
//! order; [`OffsetTracker`] keeps commits behind the lowest unfinished one.
//! It is plain data, owned by the consume loop alone: rebalance and commit
//! callbacks reach it as messages over a channel, never through a lock.
use std::collections::{BTreeSet, HashMap};

/// Per-partition bookkeeping of which offsets are done.
///
/// Messages of one partition start in offset order but may finish in any
/// order. The committable offset is the lowest unfinished one (or one past
/// the highest seen when nothing is open), so a commit never passes a
/// message that is still being worked on.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<(String, i32), PartitionState>,
    next_epoch: u64,
}

#[derive(Debug)]
struct PartitionState {
    /// Bumped on every assignment so late completions from a previous
    /// ownership of the partition are ignored.
    epoch: u64,
    open: BTreeSet<i64>,
    highest_started: Option<i64>,
    last_committed: Option<i64>,
}

/// Identifies one message's place in the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ticket {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    epoch: u64,
}

impl OffsetTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts tracking a newly assigned partition. A partition already
    /// tracked keeps its state: its messages were received in this same
    /// ownership (a new ownership always follows [`OffsetTracker::revoke`]),
    /// and resetting it would let a commit pass them while still in flight.
    pub fn assign(&mut self, topic: &str, partition: i32) {
        let key = (topic.to_string(), partition);
        if self.partitions.contains_key(&key) {
            return;
        }
        self.next_epoch += 1;
        self.partitions.insert(
            key,
            PartitionState {
                epoch: self.next_epoch,
                open: BTreeSet::new(),
                highest_started: None,
                last_committed: None,
            },
        );
    }

    /// Whether a ticket belongs to the current ownership of its partition.
    pub fn is_current(&self, ticket: &Ticket) -> bool {
        self.partitions
            .get(&(ticket.topic.clone(), ticket.partition))
            .is_some_and(|state| state.epoch == ticket.epoch)
    }

    /// Stops tracking the partition; returns the offset to commit for what
    /// was done (if it moved). Unfinished work is dropped and will be
    /// redelivered to the next owner.
    pub fn revoke(&mut self, topic: &str, partition: i32) -> Option<i64> {
        let key = (topic.to_string(), partition);
        let commit = self
            .partitions
            .get(&key)
            .and_then(PartitionState::to_commit);
        self.partitions.remove(&key);
        commit
    }

    /// Records that a message has been received and work on it began.
    pub fn start(&mut self, topic: &str, partition: i32, offset: i64) -> Ticket {
        let key = (topic.to_string(), partition);
        if !self.partitions.contains_key(&key) {
            // Messages can arrive before the assign callback is seen by us.
            self.assign(topic, partition);
        }
        let state = self.partitions.get_mut(&key).expect("assigned above");
        state.open.insert(offset);
        state.highest_started = Some(state.highest_started.map_or(offset, |h| h.max(offset)));
        Ticket {
            topic: key.0,
            partition,
            offset,
            epoch: state.epoch,
        }
    }

    /// Marks a message done. Returns false when the ticket is stale (the
    /// partition was revoked or reassigned meanwhile).
    pub fn finish(&mut self, ticket: &Ticket) -> bool {
        match self
            .partitions
            .get_mut(&(ticket.topic.clone(), ticket.partition))
        {
            Some(state) if state.epoch == ticket.epoch => state.open.remove(&ticket.offset),
            _ => false,
        }
    }

    /// Offsets (next offset to read, Kafka's convention) that moved since the
    /// last call to [`OffsetTracker::mark_committed`].
    pub fn commits_due(&self) -> Vec<(String, i32, i64)> {
        let mut due: Vec<_> = self
            .partitions
            .iter()
            .filter_map(|((topic, partition), state)| {
                state
                    .to_commit()
                    .map(|offset| (topic.clone(), *partition, offset))
            })
            .collect();
        due.sort();
        due
    }

    pub fn mark_committed(&mut self, topic: &str, partition: i32, offset: i64) {
        if let Some(state) = self.partitions.get_mut(&(topic.to_string(), partition)) {
            state.last_committed = Some(state.last_committed.map_or(offset, |c| c.max(offset)));
        }
    }

    /// Messages started and not yet finished, over all partitions.
    pub fn open_count(&self) -> usize {
        self.partitions.values().map(|s| s.open.len()).sum()
    }

    pub fn partitions(&self) -> Vec<(String, i32)> {
        self.partitions.keys().cloned().collect()
    }

    /// Forgets every partition without committing (a failed rebalance).
    pub fn forget_all(&mut self) {
        self.partitions.clear();
    }
}

impl PartitionState {
    fn committable(&self) -> Option<i64> {
        match self.open.first() {
            Some(lowest_open) => Some(*lowest_open),
            None => self.highest_started.map(|h| h + 1),
        }
    }

    fn to_commit(&self) -> Option<i64> {
        let next = self.committable()?;
        match self.last_committed {
            Some(done) if done >= next => None,
            _ => Some(next),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_never_passes_an_open_message() {
        let mut t = OffsetTracker::new();
        t.assign("in", 0);
        let a = t.start("in", 0, 10);
        let b = t.start("in", 0, 11);
        let c = t.start("in", 0, 12);
        assert_eq!(t.commits_due(), vec![("in".into(), 0, 10)]);
        assert!(t.finish(&c));
        assert!(t.finish(&b));
        assert_eq!(t.commits_due(), vec![("in".into(), 0, 10)], "10 still open");
        assert!(t.finish(&a));
        assert_eq!(t.commits_due(), vec![("in".into(), 0, 13)]);
        t.mark_committed("in", 0, 13);
        assert!(t.commits_due().is_empty());
        assert_eq!(t.open_count(), 0);
    }

    #[test]
    fn revoke_commits_done_and_drops_open_work() {
        let mut t = OffsetTracker::new();
        t.assign("in", 3);
        let a = t.start("in", 3, 0);
        let b = t.start("in", 3, 1);
        assert!(t.finish(&a));
        assert_eq!(t.revoke("in", 3), Some(1));
        assert!(!t.finish(&b), "completion after revoke is stale");
        t.assign("in", 3);
        assert!(
            !t.finish(&b),
            "completion from an earlier ownership is stale"
        );
        assert!(t.commits_due().is_empty());
    }

    #[test]
    fn a_message_received_before_the_assign_callback_still_holds_the_commit() {
        let mut t = OffsetTracker::new();
        // librdkafka can hand out a message before the loop has seen the assign.
        let early = t.start("in", 0, 5);
        t.assign("in", 0);
        let later = t.start("in", 0, 6);
        assert!(t.finish(&later));
        assert_eq!(
            t.commits_due(),
            vec![("in".into(), 0, 5)],
            "offset 5 is still in flight"
        );
        assert!(t.finish(&early), "the same ownership continues");
        assert_eq!(t.commits_due(), vec![("in".into(), 0, 7)]);
    }
}
