using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Model;

namespace CfManagement.Tail
{
    /// <summary>
    /// Keeps one tail per script delivering into a <see cref="TailEventQueue{T}"/>: creates it (halving a sampling rate
    /// the caller did not choose on 10057), reads its socket, renews it before <c>expires_at</c> (old and new read side by
    /// side for <see cref="TailOptions.RenewalOverlap"/>, see <see cref="Overlap"/>, so none arrives twice), and reconnects
    /// after a disconnect with backoff. A script whose tail fails has its tail deleted at once. Runs on the thread
    /// pool and never writes to the pipeline: warnings and failures wait in <see cref="Warnings"/> and
    /// <see cref="Failures"/> for the pipeline thread. <see cref="StopAsync"/> deletes every tail it created.
    /// </summary>
    public sealed class TailStreamer
    {
        private readonly TailsApi _api;
        private readonly string _accountId;
        private readonly TailFilters _filters;
        private readonly TailOptions _options;
        private readonly TailEventQueue<CfTailEvent> _queue;
        private readonly TailEventParser _parser;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentDictionary<string, CfTail> _live = new ConcurrentDictionary<string, CfTail>();
        private readonly ConcurrentDictionary<TailConnection, byte> _sockets = new ConcurrentDictionary<TailConnection, byte>();
        private readonly List<Task> _runs = new List<Task>();
        private int _running;

        public TailStreamer(TailsApi api, string accountId, TailFilters filters, TailOptions options, TailEventQueue<CfTailEvent> queue)
        {
            _api = api;
            _accountId = accountId;
            _filters = filters;
            _options = options;
            _queue = queue;
            _parser = new TailEventParser(options.IncludeSensitiveHeaders);
        }

        public ConcurrentQueue<string> Warnings { get; } = new ConcurrentQueue<string>();
        public ConcurrentQueue<(string Script, Exception Error)> Failures { get; } = new ConcurrentQueue<(string, Exception)>();
        /// <summary>Every tail created so far (for tests and -Verbose), including those already deleted.</summary>
        public ConcurrentQueue<CfTail> Created { get; } = new ConcurrentQueue<CfTail>();
        /// <summary>True while any script's tail is still running.</summary>
        public bool IsRunning => Volatile.Read(ref _running) > 0;

        public void Start(IEnumerable<string> scripts)
        {
            foreach (var script in scripts.Distinct(StringComparer.Ordinal))
            {
                Interlocked.Increment(ref _running);
                _runs.Add(Task.Run(() => RunScriptAsync(script, _stop.Token)));
            }
            if (_runs.Count == 0) _queue.Complete();
        }

        private async Task RunScriptAsync(string script, CancellationToken stop)
        {
            var filters = new ScriptFilters(_filters);
            Stream? current = null;
            try
            {
                current = await OpenAsync(script, filters, overlap: null, stop).ConfigureAwait(false);
                while (!stop.IsCancellationRequested)
                {
                    var wait = RenewalDelay(current.Tail);
                    using (var renewal = CancellationTokenSource.CreateLinkedTokenSource(stop))
                    {
                        var timer = Task.Delay(wait, renewal.Token);
                        var first = await Task.WhenAny(current.Reading, timer).ConfigureAwait(false);
                        renewal.Cancel();
                        if (stop.IsCancellationRequested) return;
                        if (first == current.Reading)
                        {
                            var gapStart = DateTimeOffset.UtcNow;
                            var reason = current.Reading.Exception?.GetBaseException().Message ?? "the server closed the socket";
                            var lost = current;
                            current = null;
                            await CloseAndDeleteAsync(lost).ConfigureAwait(false);
                            current = await ReconnectAsync(script, filters, reason, gapStart, stop).ConfigureAwait(false);
                            continue;
                        }
                    }
                    current = await RenewAsync(script, filters, current, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // This script's tail is over: delete it now, not when the whole command ends (other scripts may run for hours).
                if (current != null) await CloseAndDeleteAsync(current).ConfigureAwait(false);
                Failures.Enqueue((script, e));
            }
            finally
            {
                if (Interlocked.Decrement(ref _running) == 0) _queue.Complete();
            }
        }

        private TimeSpan RenewalDelay(CfTail tail)
        {
            if (!tail.ExpiresAt.HasValue) return Timeout.InfiniteTimeSpan;
            var left = tail.ExpiresAt.Value - DateTimeOffset.UtcNow;
            var margin = TimeSpan.FromTicks(Math.Min(_options.RenewBefore.Ticks, Math.Max(0, left.Ticks / 3)));
            var wait = left - margin;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        private async Task<Stream> ReconnectAsync(string script, ScriptFilters filters, string reason, DateTimeOffset gapStart, CancellationToken stop)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt >= _options.ReconnectBackoff.Length)
                    throw new WebSocketException($"The tail of '{script}' disconnected ({reason}) and {attempt} reconnect attempts failed.");
                await Task.Delay(_options.ReconnectBackoff[attempt], stop).ConfigureAwait(false);
                try
                {
                    var stream = await OpenAsync(script, filters, overlap: null, stop).ConfigureAwait(false);
                    var gap = DateTimeOffset.UtcNow - gapStart;
                    Warnings.Enqueue($"The tail of '{script}' disconnected ({reason}); reconnected with a new tail after {gap.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s. Events in that gap were not received.");
                    return stream;
                }
                catch (Exception e) when (!(e is OperationCanceledException) && IsTransient(e))
                {
                    reason = e.GetBaseException().Message;
                }
            }
        }

        private static bool IsTransient(Exception e) =>
            e is WebSocketException || e is System.IO.IOException ||
            (e is CloudflareApiException api && (api.Kind != ApiFailureKind.Response || (api.StatusCode.HasValue && (int)api.StatusCode.Value >= 500)));

        private async Task<Stream> RenewAsync(string script, ScriptFilters filters, Stream old, CancellationToken stop)
        {
            // Old starts recording before the new tail exists, so every event both sockets carry is seen by the overlap.
            var overlap = old.BeginOverlap();
            Stream next;
            try
            {
                next = await OpenAsync(script, filters, overlap, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && IsTransient(e))
            {
                old.EndOverlapWithoutRenewal();
                // The old tail still delivers until expires_at; try again shortly, reconnecting once it has expired.
                Warnings.Enqueue($"Renewing the tail of '{script}' failed ({e.GetBaseException().Message}); retrying.");
                await Task.Delay(_options.ReconnectBackoff[0], stop).ConfigureAwait(false);
                return old;
            }
            catch
            {
                old.EndOverlapWithoutRenewal();
                throw;
            }
            await Task.Delay(_options.RenewalOverlap, stop).ConfigureAwait(false);
            overlap.HandOver(next);
            await CloseAndDeleteAsync(old).ConfigureAwait(false);
            return next;
        }

        /// <summary>
        /// Creates a tail and connects its socket. On 10057 (too much traffic) a sampling rate the caller did not choose is
        /// halved until Cloudflare accepts one, remembered for the script's later renewals and reconnections, and warned
        /// once; a -SamplingRate the caller gave is never overridden, so its 10057 is the script's failure.
        /// </summary>
        private async Task<Stream> OpenAsync(string script, ScriptFilters filters, Overlap? overlap, CancellationToken stop)
        {
            CfTail tail;
            var halved = false;
            while (true)
            {
                try
                {
                    tail = await _api.CreateAsync(_accountId, script, filters.Current, stop).ConfigureAwait(false);
                    break;
                }
                catch (CloudflareApiException e) when (e.HasCode(10057) && !filters.ChosenByCaller)
                {
                    var rate = (filters.Current.SamplingRate ?? 1.0) / 2;
                    if (rate < _options.MinimumSamplingRate) throw;
                    filters.Current = filters.Current.WithSamplingRate(rate);
                    halved = true;
                }
            }
            if (halved)
                Warnings.Enqueue($"'{script}' has too much traffic for live tailing (Cloudflare 10057): sampling {(filters.Current.SamplingRate!.Value * 100).ToString("0.###", CultureInfo.InvariantCulture)}% of its events.");
            _live[tail.Id] = tail;
            Created.Enqueue(tail);
            var stream = new Stream(this, script, tail, overlap);
            try
            {
                if (tail.Url == null) throw new WebSocketException($"The tail of '{script}' came back without a socket address.");
                await stream.Connection.ConnectAsync(tail.Url, stop).ConfigureAwait(false);
            }
            catch
            {
                await CloseAndDeleteAsync(stream).ConfigureAwait(false);
                throw;
            }
            stream.Reading = Task.Run(() => stream.Connection.ReadAsync(stream.OnMessage, stream.ReadStop.Token));
            return stream;
        }

        /// <summary>A script's filters as last accepted: after a 10057 fallback, renewals start from the rate that worked.</summary>
        private sealed class ScriptFilters
        {
            public ScriptFilters(TailFilters given)
            {
                Current = given;
                ChosenByCaller = given.SamplingRate.HasValue;
            }

            public TailFilters Current { get; set; }
            public bool ChosenByCaller { get; }
        }

        private async Task CloseAndDeleteAsync(Stream stream)
        {
            stream.ReadStop.Cancel();
            await stream.Connection.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            _sockets.TryRemove(stream.Connection, out _);
            stream.Connection.Dispose();
            await DeleteAsync(stream.Tail).ConfigureAwait(false);
        }

        private async Task DeleteAsync(CfTail tail)
        {
            if (!_live.TryRemove(tail.Id, out _)) return;
            try
            {
                using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
                    await _api.DeleteAsync(_accountId, tail.ScriptName, tail.Id, budget.Token).ConfigureAwait(false);
            }
            catch (CloudflareApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // already gone (expired): nothing left behind
            }
            catch (Exception e) when (e is CloudflareApiException || e is OperationCanceledException)
            {
                Warnings.Enqueue($"Could not delete tail {tail.Id} of '{tail.ScriptName}' ({e.GetBaseException().Message}); it expires on its own, or Stop-CfTail -Script {tail.ScriptName} removes it.");
            }
        }

        /// <summary>Stops every reader, closes every socket and deletes every tail still alive. Never throws.</summary>
        public async Task StopAsync()
        {
            _stop.Cancel();
            _queue.Complete();
            try { await Task.WhenAll(_runs).ConfigureAwait(false); } catch { /* failures are already in Failures */ }
            foreach (var socket in _sockets.Keys.ToList())
            {
                await socket.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                socket.Dispose();
            }
            _sockets.Clear();
            await Task.WhenAll(_live.Values.ToList().Select(DeleteAsync)).ConfigureAwait(false);
        }

        /// <summary>
        /// One tail and its socket. Outside a renewal it offers each event to the queue. During a renewal both the old and
        /// the new stream of the script share one <see cref="Overlap"/>, which decides which copy of each event is delivered.
        /// </summary>
        private sealed class Stream
        {
            private readonly TailStreamer _owner;
            private readonly string _script;
            private Overlap? _overlap;

            public Stream(TailStreamer owner, string script, CfTail tail, Overlap? joining)
            {
                _owner = owner;
                _script = script;
                Tail = tail;
                Connection = new TailConnection(owner._options.PingInterval);
                ReadStop = CancellationTokenSource.CreateLinkedTokenSource(owner._stop.Token);
                owner._sockets[Connection] = 0;
                _overlap = joining; // a renewal's new stream holds back until the hand-over
            }

            public CfTail Tail { get; }
            public TailConnection Connection { get; }
            public CancellationTokenSource ReadStop { get; }
            public Task Reading { get; set; } = Task.CompletedTask;

            public void OnMessage(ReadOnlyMemory<byte> message)
            {
                var overlap = Volatile.Read(ref _overlap);
                if (overlap == null && _owner._queue.WouldDrop)
                {
                    _owner._queue.CountDropped(); // dropped anyway: not worth parsing
                    return;
                }
                CfTailEvent parsed;
                try { parsed = _owner._parser.Parse(message, _script); }
                catch (FormatException e)
                {
                    _owner.Warnings.Enqueue($"Skipped a message on the tail of '{_script}': {e.Message}");
                    return;
                }
                if (overlap == null || !overlap.Take(this, message, parsed)) Deliver(parsed);
            }

            public void Deliver(CfTailEvent parsed) => _owner._queue.Offer(parsed, ReadStop.Token);

            /// <summary>This (old) stream is about to be renewed: from now on the overlap sees what it delivers.</summary>
            public Overlap BeginOverlap()
            {
                var overlap = new Overlap(_owner, this);
                Volatile.Write(ref _overlap, overlap);
                return overlap;
            }

            public void EndOverlapWithoutRenewal() => Volatile.Write(ref _overlap, null);

            public void Leave(Overlap overlap) => Interlocked.CompareExchange(ref _overlap, null, overlap);
        }

        /// <summary>
        /// The renewal of one script's tail, while the old and the new socket both read. Both sockets carry the same events
        /// (each with its own latency), so events are matched by their exact text: the old stream delivers at once and
        /// remembers what it delivered that the new one has not shown yet; the new stream holds back only what the old one
        /// has not delivered yet (its lead, normally a few events). At the hand-over the old stream is retired (whatever
        /// it still reads is discarded: the new one carries it) and the new one's held events, minus any the old one
        /// delivered meanwhile, go out in order before it goes live. So no event arrives twice and none is lost while the
        /// old socket is within <see cref="TailOptions.RenewalOverlap"/> of the new. Held events are bounded by the queue
        /// capacity; beyond it they are dropped and counted like any other drop.
        /// </summary>
        private sealed class Overlap
        {
            private readonly TailStreamer _owner;
            private readonly Stream _old;
            private readonly object _gate = new object();
            private readonly Dictionary<string, int> _deliveredByOld = new Dictionary<string, int>(StringComparer.Ordinal);
            private readonly LinkedList<(string Raw, CfTailEvent Event)> _heldByNew = new LinkedList<(string, CfTailEvent)>();
            private bool _handedOver;

            public Overlap(TailStreamer owner, Stream old)
            {
                _owner = owner;
                _old = old;
            }

            /// <summary>True when the overlap has dealt with the message (delivered, held or discarded it).</summary>
            public bool Take(Stream from, ReadOnlyMemory<byte> message, CfTailEvent parsed)
            {
                var raw = Encoding.UTF8.GetString(message.ToArray());
                lock (_gate)
                {
                    if (from == _old)
                    {
                        if (_handedOver) return true; // retired: the new stream carries it
                        for (var node = _heldByNew.First; node != null; node = node.Next)
                            if (string.Equals(node.Value.Raw, raw, StringComparison.Ordinal))
                            {
                                _heldByNew.Remove(node); // the new copy will not go out
                                from.Deliver(parsed);
                                return true;
                            }
                        _deliveredByOld[raw] = _deliveredByOld.TryGetValue(raw, out var n) ? n + 1 : 1;
                        from.Deliver(parsed);
                        return true;
                    }
                    if (_handedOver) return false;
                    if (_deliveredByOld.TryGetValue(raw, out var count))
                    {
                        if (count == 1) _deliveredByOld.Remove(raw); else _deliveredByOld[raw] = count - 1;
                        return true; // already delivered by the old socket
                    }
                    if (_heldByNew.Count < _owner._queue.Capacity) _heldByNew.AddLast((raw, parsed));
                    else _owner._queue.CountDropped();
                    return true;
                }
            }

            /// <summary>Retires the old stream and releases the new one's held events, in order, before it goes live.</summary>
            public void HandOver(Stream next)
            {
                lock (_gate)
                {
                    _handedOver = true;
                    foreach (var (_, parsed) in _heldByNew) next.Deliver(parsed);
                    _heldByNew.Clear();
                    _deliveredByOld.Clear();
                }
                next.Leave(this);
            }
        }
    }
}
