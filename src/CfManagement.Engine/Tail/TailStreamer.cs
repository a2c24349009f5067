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
    /// Keeps one tail per target (a Worker script or a Pages deployment, <see cref="TailTarget"/>) delivering into a <see cref="TailEventQueue{T}"/>: creates it (halving the sampling rate
    /// on 10057), reads its socket, renews it before <c>expires_at</c> (old and new read side by side for
    /// <see cref="TailOptions.RenewalOverlap"/>; the new socket's messages are held back and those the old one also
    /// delivered are dropped, so none arrives twice), and reconnects after a disconnect with backoff. Runs on the thread
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
        /// <summary>A target's tail that gave up; Script is the target's <see cref="TailTarget.Name"/> (the script, or the Pages project).</summary>
        public ConcurrentQueue<(string Script, Exception Error)> Failures { get; } = new ConcurrentQueue<(string, Exception)>();
        /// <summary>Every tail created so far (for tests and -Verbose), including those already deleted.</summary>
        public ConcurrentQueue<CfTail> Created { get; } = new ConcurrentQueue<CfTail>();
        /// <summary>True while any script's tail is still running.</summary>
        public bool IsRunning => Volatile.Read(ref _running) > 0;

        public void Start(IEnumerable<string> scripts) => Start(scripts.Select(TailTarget.ForScript));

        public void Start(IEnumerable<TailTarget> targets)
        {
            foreach (var target in targets.Distinct())
            {
                Interlocked.Increment(ref _running);
                _runs.Add(Task.Run(() => RunScriptAsync(target, _stop.Token)));
            }
            if (_runs.Count == 0) _queue.Complete();
        }

        private async Task RunScriptAsync(TailTarget script, CancellationToken stop)
        {
            try
            {
                var current = await OpenAsync(script, holdBack: false, stop).ConfigureAwait(false);
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
                            await CloseAndDeleteAsync(current).ConfigureAwait(false);
                            current = await ReconnectAsync(script, reason, gapStart, stop).ConfigureAwait(false);
                            continue;
                        }
                    }
                    current = await RenewAsync(script, current, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Failures.Enqueue((script.Name, e));
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

        private async Task<Stream> ReconnectAsync(TailTarget script, string reason, DateTimeOffset gapStart, CancellationToken stop)
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt >= _options.ReconnectBackoff.Length)
                    throw new WebSocketException($"The tail of '{script.Name}' disconnected ({reason}) and {attempt} reconnect attempts failed.");
                await Task.Delay(_options.ReconnectBackoff[attempt], stop).ConfigureAwait(false);
                try
                {
                    var stream = await OpenAsync(script, holdBack: false, stop).ConfigureAwait(false);
                    var gap = DateTimeOffset.UtcNow - gapStart;
                    Warnings.Enqueue($"The tail of '{script.Name}' disconnected ({reason}); reconnected with a new tail after {gap.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s. Events in that gap were not received.");
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

        private async Task<Stream> RenewAsync(TailTarget script, Stream old, CancellationToken stop)
        {
            Stream next;
            try
            {
                next = await OpenAsync(script, holdBack: true, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && IsTransient(e))
            {
                // The old tail still delivers until expires_at; try again shortly, reconnecting once it has expired.
                Warnings.Enqueue($"Renewing the tail of '{script.Name}' failed ({e.GetBaseException().Message}); retrying.");
                await Task.Delay(_options.ReconnectBackoff[0], stop).ConfigureAwait(false);
                return old;
            }
            old.StartRecording();
            await Task.Delay(_options.RenewalOverlap, stop).ConfigureAwait(false);
            var seenOnOld = old.StopRecording();
            await CloseAndDeleteAsync(old).ConfigureAwait(false);
            next.Release(seenOnOld);
            return next;
        }

        /// <summary>Creates a tail (halving the sampling rate while Cloudflare answers 10057) and connects its socket.</summary>
        private async Task<Stream> OpenAsync(TailTarget script, bool holdBack, CancellationToken stop)
        {
            var filters = _filters;
            CfTail tail;
            while (true)
            {
                try
                {
                    tail = await _api.CreateAsync(_accountId, script, filters, stop).ConfigureAwait(false);
                    break;
                }
                catch (CloudflareApiException e) when (e.HasCode(10057))
                {
                    var rate = (filters.SamplingRate ?? 1.0) / 2;
                    if (rate < _options.MinimumSamplingRate) throw;
                    filters = filters.WithSamplingRate(rate);
                    Warnings.Enqueue($"'{script.Name}' has too much traffic for live tailing (Cloudflare 10057): sampling {(rate * 100).ToString("0.###", CultureInfo.InvariantCulture)}% of its events.");
                }
            }
            _live[tail.Id] = tail;
            Created.Enqueue(tail);
            var stream = new Stream(this, script, tail, holdBack);
            try
            {
                if (tail.Url == null) throw new WebSocketException($"The tail of '{script.Name}' came back without a socket address.");
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
                    await _api.DeleteAsync(_accountId, TailTarget.Of(tail), tail.Id, budget.Token).ConfigureAwait(false);
            }
            catch (CloudflareApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // already gone (expired): nothing left behind
            }
            catch (Exception e) when (e is CloudflareApiException || e is OperationCanceledException)
            {
                Warnings.Enqueue(tail.PagesProject != null
                    ? $"Could not delete tail {tail.Id} of Pages project '{tail.PagesProject}' ({e.GetBaseException().Message}); it expires on its own."
                    : $"Could not delete tail {tail.Id} of '{tail.ScriptName}' ({e.GetBaseException().Message}); it expires on its own, or Stop-CfTail -Script {tail.ScriptName} removes it.");
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

        /// <summary>One tail and its socket; during a renewal the old one records what it delivers and the new one holds back.</summary>
        private sealed class Stream
        {
            private readonly TailStreamer _owner;
            private readonly TailTarget _script;
            private readonly object _gate = new object();
            private List<(string Raw, CfTailEvent Event)>? _held;
            private Dictionary<string, int>? _recorded;

            public Stream(TailStreamer owner, TailTarget script, CfTail tail, bool holdBack)
            {
                _owner = owner;
                _script = script;
                Tail = tail;
                Connection = new TailConnection(owner._options.PingInterval);
                ReadStop = CancellationTokenSource.CreateLinkedTokenSource(owner._stop.Token);
                owner._sockets[Connection] = 0;
                if (holdBack) _held = new List<(string, CfTailEvent)>();
            }

            public CfTail Tail { get; }
            public TailConnection Connection { get; }
            public CancellationTokenSource ReadStop { get; }
            public Task Reading { get; set; } = Task.CompletedTask;

            public void OnMessage(ReadOnlyMemory<byte> message)
            {
                CfTailEvent parsed;
                try { parsed = _owner._parser.Parse(message, _script.Name); }
                catch (FormatException e)
                {
                    _owner.Warnings.Enqueue($"Skipped a message on the tail of '{_script.Name}': {e.Message}");
                    return;
                }
                parsed.PagesProject = _script.PagesProject;
                parsed.DeploymentId = _script.DeploymentId;
                lock (_gate)
                {
                    if (_held != null)
                    {
                        if (_held.Count < _owner._queue.Capacity) _held.Add((Raw(message), parsed));
                        return;
                    }
                    if (_recorded != null)
                    {
                        var raw = Raw(message);
                        _recorded[raw] = _recorded.TryGetValue(raw, out var n) ? n + 1 : 1;
                    }
                }
                _owner._queue.Offer(parsed, ReadStop.Token);
            }

            private static string Raw(ReadOnlyMemory<byte> message) => Encoding.UTF8.GetString(message.ToArray());

            public void StartRecording() { lock (_gate) _recorded = new Dictionary<string, int>(StringComparer.Ordinal); }

            public Dictionary<string, int> StopRecording()
            {
                lock (_gate)
                {
                    var recorded = _recorded ?? new Dictionary<string, int>();
                    _recorded = null;
                    return recorded;
                }
            }

            /// <summary>Delivers what was held back during the overlap, minus what the old socket already delivered, then goes live.</summary>
            public void Release(Dictionary<string, int> deliveredByOld)
            {
                lock (_gate)
                {
                    foreach (var (raw, parsed) in _held ?? new List<(string, CfTailEvent)>())
                    {
                        if (deliveredByOld.TryGetValue(raw, out var n) && n > 0) { deliveredByOld[raw] = n - 1; continue; }
                        _owner._queue.Offer(parsed, ReadStop.Token);
                    }
                    _held = null;
                }
            }
        }
    }
}
