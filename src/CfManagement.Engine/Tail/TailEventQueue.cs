using System;
using System.Collections.Generic;
using System.Threading;

namespace CfManagement.Tail
{
    /// <summary>
    /// The bounded hand-off between socket readers (any thread) and the pipeline thread (the only one that writes).
    /// Full: <see cref="TailBackpressure.Drop"/> counts and drops, <see cref="TailBackpressure.Block"/> makes the reader
    /// wait until the pipeline has taken half of what is queued, not just one event: resuming at the first free slot
    /// would wake the reader and put it back to sleep for every event the pipeline takes, and on a busy machine each
    /// wake-up waits for a time slice. A thread that need not wait pays one uncontended lock, nothing else. Memory stays at most <c>capacity</c> items whatever the stream's rate.
    /// </summary>
    public sealed class TailEventQueue<T> : IDisposable
    {
        /// <summary>
        /// How often a waiting thread looks at its cancellation token. Polled rather than registered: a registration's
        /// callback would need the lock the waiter holds, and disposing it under that lock can deadlock.
        /// </summary>
        private static readonly TimeSpan CancellationPoll = TimeSpan.FromMilliseconds(50);

        private readonly Queue<T> _items;
        private readonly object _gate = new object();
        private readonly int _capacity;
        private readonly int _resumeAt;
        private readonly TailBackpressure _backpressure;
        private int _waitingTakers;
        private int _waitingOfferers;
        private bool _completed;
        private long _dropped;
        private long _droppedReported;

        public TailEventQueue(int capacity, TailBackpressure backpressure)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "A tail queue holds at least one event.");
            _capacity = capacity;
            _resumeAt = capacity / 2;
            _items = new Queue<T>(Math.Min(capacity, 1024));
            _backpressure = backpressure;
        }

        public int Capacity => _capacity;
        public int Count { get { lock (_gate) return _items.Count; } }
        /// <summary>Events dropped so far because the queue was full.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>
        /// Offers an item from a reader. False when it was dropped (full, Drop mode) or the queue is completed. In Block
        /// mode a full queue makes the caller wait; <paramref name="cancellationToken"/> ends that wait with
        /// <see cref="OperationCanceledException"/>.
        /// </summary>
        public bool Offer(T item, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_completed) return false;
                if (_items.Count >= _capacity)
                {
                    if (_backpressure == TailBackpressure.Drop)
                    {
                        Interlocked.Increment(ref _dropped);
                        return false;
                    }
                    _waitingOfferers++;
                    try
                    {
                        while (_items.Count > _resumeAt && !_completed)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            Monitor.Wait(_gate, CancellationPoll);
                        }
                    }
                    finally { _waitingOfferers--; }
                    cancellationToken.ThrowIfCancellationRequested();
                    if (_completed) return false;
                }
                _items.Enqueue(item);
                if (_waitingTakers > 0) Monitor.PulseAll(_gate);
                return true;
            }
        }

        /// <summary>Counts an event dropped before it reached the queue (a renewal's held-back events beyond the capacity).</summary>
        public void CountDropped() => Interlocked.Increment(ref _dropped);

        /// <summary>Takes the next item on the pipeline thread; false after <paramref name="timeout"/>, on cancellation, or once completed and empty.</summary>
        public bool TryTake(out T item, TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_items.Count == 0 && !_completed && timeout > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
                {
                    var deadline = DateTime.UtcNow + timeout;
                    _waitingTakers++;
                    try
                    {
                        while (_items.Count == 0 && !_completed && !cancellationToken.IsCancellationRequested)
                        {
                            var left = deadline - DateTime.UtcNow;
                            if (left <= TimeSpan.Zero) break;
                            Monitor.Wait(_gate, left < CancellationPoll ? left : CancellationPoll);
                        }
                    }
                    finally { _waitingTakers--; }
                }
                if (_items.Count == 0 || cancellationToken.IsCancellationRequested)
                {
                    item = default!;
                    return false;
                }
                item = _items.Dequeue();
                if (_waitingOfferers > 0 && _items.Count <= _resumeAt) Monitor.PulseAll(_gate);
                return true;
            }
        }

        public bool IsFinished { get { lock (_gate) return _completed && _items.Count == 0; } }

        /// <summary>
        /// Full in Drop mode: an event offered now would be dropped, so a reader can count it as dropped without parsing
        /// it (a reader that stays cheap under overload keeps up with the socket, so the server never has to slow down).
        /// </summary>
        public bool WouldDrop
        {
            get
            {
                if (_backpressure != TailBackpressure.Drop) return false;
                lock (_gate) return _items.Count >= _capacity;
            }
        }

        /// <summary>No more items will come (readers are done or the consumer has stopped).</summary>
        public void Complete()
        {
            lock (_gate)
            {
                _completed = true;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Drops counted since the last call, so the pipeline thread can warn once per batch of drops.</summary>
        public long TakeNewDrops()
        {
            var now = Dropped;
            var before = Interlocked.Exchange(ref _droppedReported, now);
            return now - before;
        }

        public void Dispose() => Complete();
    }
}
