using System;
using System.Collections.Concurrent;
using System.Threading;

namespace CfManagement.Tail
{
    /// <summary>
    /// The bounded hand-off between socket readers (any thread) and the pipeline thread (the only one that writes).
    /// Full: <see cref="TailBackpressure.Drop"/> counts and drops, <see cref="TailBackpressure.Block"/> makes the reader
    /// wait. Memory stays at most <c>capacity</c> items whatever the stream's rate.
    /// </summary>
    public sealed class TailEventQueue<T> : IDisposable
    {
        private readonly BlockingCollection<T> _items;
        private readonly TailBackpressure _backpressure;
        private long _dropped;
        private long _droppedReported;

        public TailEventQueue(int capacity, TailBackpressure backpressure)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "A tail queue holds at least one event.");
            _items = new BlockingCollection<T>(new ConcurrentQueue<T>(), capacity);
            _backpressure = backpressure;
        }

        public int Capacity => _items.BoundedCapacity;
        public int Count => _items.Count;
        /// <summary>Events dropped so far because the queue was full.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>Offers an item from a reader. False when it was dropped (full, Drop mode) or the queue is completed.</summary>
        public bool Offer(T item, CancellationToken cancellationToken)
        {
            try
            {
                if (_backpressure == TailBackpressure.Block)
                {
                    _items.Add(item, cancellationToken);
                    return true;
                }
                if (_items.TryAdd(item)) return true;
                Interlocked.Increment(ref _dropped);
                return false;
            }
            catch (InvalidOperationException)
            {
                return false; // completed: the consumer has stopped, nothing more is wanted
            }
        }

        /// <summary>Counts an event dropped before it reached the queue (a renewal's held-back events beyond the capacity).</summary>
        public void CountDropped() => Interlocked.Increment(ref _dropped);

        /// <summary>Takes the next item on the pipeline thread; false after <paramref name="timeout"/> or once completed and empty.</summary>
        public bool TryTake(out T item, TimeSpan timeout, CancellationToken cancellationToken)
        {
            try { return _items.TryTake(out item!, (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds)), cancellationToken); }
            catch (OperationCanceledException) { item = default!; return false; }
        }

        public bool IsFinished => _items.IsCompleted;

        /// <summary>
        /// Full in Drop mode: an event offered now would be dropped, so a reader can count it as dropped without parsing
        /// it (a reader that stays cheap under overload keeps up with the socket, so the server never has to slow down).
        /// </summary>
        public bool WouldDrop => _backpressure == TailBackpressure.Drop && _items.Count >= _items.BoundedCapacity;

        /// <summary>No more items will come (readers are done or the consumer has stopped).</summary>
        public void Complete() => _items.CompleteAdding();

        /// <summary>Drops counted since the last call, so the pipeline thread can warn once per batch of drops.</summary>
        public long TakeNewDrops()
        {
            var now = Dropped;
            var before = Interlocked.Exchange(ref _droppedReported, now);
            return now - before;
        }

        public void Dispose() => _items.Dispose();
    }
}
