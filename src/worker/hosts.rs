//! In-flight slots per host: a busy host cannot hold every slot.
use std::collections::{HashMap, VecDeque};

/// In-flight slots per host, and the work parked behind a full host.
pub(super) struct HostShares<W> {
    per_host: usize,
    running: HashMap<String, usize>,
    waiting: HashMap<String, VecDeque<W>>,
    pub(super) parked: usize,
}

impl<W> HostShares<W> {
    pub(super) fn new(per_host: usize) -> Self {
        Self {
            per_host: per_host.max(1),
            running: HashMap::new(),
            waiting: HashMap::new(),
            parked: 0,
        }
    }

    /// The work back if it may run now; else it is parked behind its host.
    /// `host` None (an undecodable message) always runs: it only goes to the DLQ.
    pub(super) fn admit(&mut self, host: Option<&str>, work: W) -> Option<W> {
        let Some(host) = host else {
            return Some(work);
        };
        let running = self.running.entry(host.to_string()).or_default();
        if *running < self.per_host {
            *running += 1;
            return Some(work);
        }
        self.waiting
            .entry(host.to_string())
            .or_default()
            .push_back(work);
        self.parked += 1;
        None
    }

    /// Frees the host's slot; returns its next parked message, which takes
    /// the slot over.
    pub(super) fn finished(&mut self, host: Option<&str>) -> Option<W> {
        let host = host?;
        if let Some(next) = self.waiting.get_mut(host).and_then(VecDeque::pop_front) {
            self.parked -= 1;
            if self.waiting.get(host).is_some_and(VecDeque::is_empty) {
                self.waiting.remove(host);
            }
            return Some(next);
        }
        if let Some(running) = self.running.get_mut(host) {
            *running -= 1;
            if *running == 0 {
                self.running.remove(host);
            }
        }
        None
    }

    /// Drops the parked work `revoked` selects (its partition went to
    /// another member, which will run it); returns how many were dropped.
    pub(super) fn drop_parked(&mut self, mut revoked: impl FnMut(&W) -> bool) -> usize {
        let before = self.parked;
        for queue in self.waiting.values_mut() {
            queue.retain(|work| !revoked(work));
        }
        self.waiting.retain(|_, queue| !queue.is_empty());
        self.parked = self.waiting.values().map(VecDeque::len).sum();
        before - self.parked
    }
}

#[cfg(test)]
mod tests {
    use super::HostShares;

    #[test]
    fn a_full_host_parks_its_work_and_hands_each_freed_slot_to_the_next() {
        let mut shares = HostShares::new(2);
        assert_eq!(shares.admit(Some("slow:80"), 1), Some(1));
        assert_eq!(shares.admit(Some("slow:80"), 2), Some(2));
        assert_eq!(shares.admit(Some("slow:80"), 3), None);
        assert_eq!(shares.admit(Some("slow:80"), 4), None);
        // Other hosts and undecodable messages are not held up.
        assert_eq!(shares.admit(Some("fast:80"), 5), Some(5));
        assert_eq!(shares.admit(None, 6), Some(6));
        assert_eq!(shares.parked, 2);

        // Parked work runs in arrival order, one per freed slot.
        assert_eq!(shares.finished(Some("slow:80")), Some(3));
        assert_eq!(shares.finished(Some("fast:80")), None);
        assert_eq!(shares.finished(None), None);
        assert_eq!(shares.finished(Some("slow:80")), Some(4));
        assert_eq!(shares.parked, 0);
        assert_eq!(shares.finished(Some("slow:80")), None);
        assert_eq!(shares.finished(Some("slow:80")), None);
        // All slots are free again, and empty hosts are forgotten.
        assert!(shares.running.is_empty() && shares.waiting.is_empty());
        assert_eq!(shares.admit(Some("slow:80"), 7), Some(7));
    }

    #[test]
    fn parked_work_of_a_revoked_partition_is_dropped_not_run() {
        let mut shares = HostShares::new(1);
        // (partition, offset)
        assert_eq!(shares.admit(Some("slow:80"), (0, 1)), Some((0, 1)));
        assert_eq!(shares.admit(Some("slow:80"), (1, 2)), None);
        assert_eq!(shares.admit(Some("slow:80"), (0, 3)), None);
        assert_eq!(shares.admit(Some("other:80"), (1, 4)), Some((1, 4)));
        assert_eq!(shares.admit(Some("other:80"), (1, 5)), None);
        assert_eq!(shares.drop_parked(|(partition, _)| *partition == 1), 2);
        assert_eq!(shares.parked, 1);
        // The freed slot goes to the surviving partition's work only.
        assert_eq!(shares.finished(Some("slow:80")), Some((0, 3)));
        assert_eq!(shares.finished(Some("other:80")), None);
        assert_eq!(shares.finished(Some("slow:80")), None);
        assert_eq!(shares.parked, 0);
    }
}
