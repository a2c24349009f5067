using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Tail;
using CfManagement.Validation;

namespace CfManagement.Commands.Tail
{
    /// <summary>
    /// <para type="synopsis">Streams a Worker's live events (requests, cron triggers, queues, alarms, emails) down the pipeline as they happen.</para>
    /// <para type="description">
    /// Creates a tail per script with the filters in its body, reads each tail's trace-v1 socket and writes one CfTailEvent
    /// per invocation. Renews tails before they expire, reconnects after a disconnect, samples on 10057, and on every way
    /// out (Ctrl+C, -First, -Duration, -Until, a downstream Select-Object -First, an error) closes the sockets and deletes
    /// the tails it created. The socket readers hand events over a bounded queue; only the pipeline thread writes.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "CfTail")]
    [OutputType(typeof(CfTailEvent))]
    public sealed class StartCfTailCommand : TailCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string[] Script { get; set; } = Array.Empty<string>();

        /// <summary>ok, error (exceptions, exceeded CPU or memory, unknown) or canceled.</summary>
        [Parameter]
        public string[]? Status { get; set; }

        [Parameter]
        public string[]? Method { get; set; }

        /// <summary>'Name: value' (the header has that value) or 'Name' (the request carries the header).</summary>
        [Parameter]
        public string? Header { get; set; }

        /// <summary>Client IP addresses; 'self' is this machine's address as Cloudflare sees it.</summary>
        [Parameter]
        public string[]? ClientIp { get; set; }

        /// <summary>Only events whose logs contain this text.</summary>
        [Parameter]
        public string? Search { get; set; }

        [Parameter]
        public double? SamplingRate { get; set; }

        [Parameter]
        public string? VersionId { get; set; }

        /// <summary>Stop after this many events.</summary>
        [Parameter]
        public int? First { get; set; }

        [Parameter]
        public TimeSpan? Duration { get; set; }

        [Parameter]
        public DateTime? Until { get; set; }

        /// <summary>Drop (count and warn) or Block (stop reading the socket) when the pipeline is slower than the stream.</summary>
        [Parameter]
        public TailBackpressure Backpressure { get; set; } = TailBackpressure.Drop;

        /// <summary>Events held between the socket and the pipeline at most.</summary>
        [Parameter]
        public int QueueCapacity { get; set; } = 4096;

        /// <summary>Keep the values of credential-like request headers (Authorization, Cookie, *token*, *secret*, *key*).</summary>
        [Parameter]
        public SwitchParameter IncludeSensitiveHeaders { get; set; }

        private readonly List<string> _scripts = new List<string>();
        private TailFilters _filters = new TailFilters();
        private bool _refused;
        private TimeSpan _pingInterval = TailConnection.PingInterval;

        protected override void BeginProcessing()
        {
            var errors = new List<ErrorRecord>();
            _filters = new TailFilters
            {
                Status = Status ?? Array.Empty<string>(), Method = Method ?? Array.Empty<string>(), Header = Header,
                ClientIp = ClientIp ?? Array.Empty<string>(), Search = Search, SamplingRate = SamplingRate, VersionId = VersionId,
            };
            try { _filters.Validate(); }
            catch (TailFilterException e) { errors.Add(FilterError(e, BoundValue(e.ParameterName))); }
            if (First.HasValue && First.Value < 1)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidTailLimit, nameof(First), First, $"-First {First} would stop before any event.", "Give -First 1 or more, or leave it out to tail until Ctrl+C."));
            if (Duration.HasValue && Duration.Value <= TimeSpan.Zero)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidTailLimit, nameof(Duration), Duration, $"-Duration {Duration} is not a positive length of time.", "Give a positive time span, e.g. -Duration (New-TimeSpan -Minutes 5) or -Duration 00:05:00."));
            if (Until.HasValue && Until.Value.ToUniversalTime() <= DateTime.UtcNow)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidTailLimit, nameof(Until), Until, $"-Until {Until:o} is already past.", "Give a time in the future, e.g. -Until (Get-Date).AddMinutes(10)."));
            if (QueueCapacity < 1 || QueueCapacity > 1_000_000)
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidTailLimit, nameof(QueueCapacity), QueueCapacity, $"-QueueCapacity {QueueCapacity} is out of range.", "Give 1 to 1000000 events (the default, 4096, suits most streams)."));
            if (TailPingInterval.Read(out var badPing) is TimeSpan ping) _pingInterval = ping;
            else errors.Add(badPing!);
            if (errors.Count == 0) return;
            _refused = true;
            for (var i = 0; i < errors.Count - 1; i++) WriteError(errors[i]);
            ThrowTerminatingError(errors[errors.Count - 1]);
        }

        private object? BoundValue(string parameter) =>
            MyInvocation.BoundParameters.TryGetValue(parameter, out var value) ? value : null;

        protected override void ProcessCfRecord()
        {
            foreach (var script in Script)
            {
                if (WorkerInputValidator.CheckScriptName(script, nameof(Script)) is ErrorRecord bad) { WriteError(bad); continue; }
                if (!_scripts.Contains(script, StringComparer.Ordinal)) _scripts.Add(script);
            }
        }

        protected override void EndProcessing()
        {
            if (_refused || _scripts.Count == 0) return;
            var accountId = RequireWorkerAccount(nameof(Script), _scripts[0]);
            if (accountId == null) return;
            var deadline = Until.HasValue ? Until.Value.ToUniversalTime() : (DateTime?)null;
            if (Duration.HasValue)
            {
                var end = DateTime.UtcNow + Duration.Value;
                deadline = deadline.HasValue && deadline.Value < end ? deadline : end;
            }
            using (var queue = new TailEventQueue<CfTailEvent>(QueueCapacity, Backpressure))
            {
                var streamer = new TailStreamer(TailsApi, accountId, _filters,
                    new TailOptions { IncludeSensitiveHeaders = IncludeSensitiveHeaders.IsPresent, PingInterval = _pingInterval }, queue);
                try
                {
                    WriteVerbose($"Tailing {string.Join(", ", _scripts)} with {_filters.ToApiFilters().Count} filter(s).");
                    streamer.Start(_scripts);
                    Pump(queue, streamer, deadline);
                }
                finally
                {
                    // Every way out: Ctrl+C, -First, -Duration, downstream stop, an error. Nothing is written here.
                    AwaitCleanup(_ => streamer.StopAsync(), TimeSpan.FromSeconds(30));
                }
                if (!Stopping) ReportAfterStop(queue, streamer);
            }
        }

        /// <summary>The pipeline thread's loop: the only place events, warnings and errors are written.</summary>
        private void Pump(TailEventQueue<CfTailEvent> queue, TailStreamer streamer, DateTime? deadline)
        {
            var written = 0;
            var slice = TimeSpan.FromMilliseconds(200);
            while (true)
            {
                if (StopToken.IsCancellationRequested) throw new PipelineStoppedException();
                var wait = slice;
                if (deadline.HasValue)
                {
                    var left = deadline.Value - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) return;
                    if (left < wait) wait = left;
                }
                if (queue.TryTake(out var tailEvent, wait, StopToken))
                {
                    WriteObject(tailEvent);
                    if (First.HasValue && ++written >= First.Value) return;
                }
                else if (queue.IsFinished) return;
                WriteNotices(queue, streamer);
            }
        }

        private void WriteNotices(TailEventQueue<CfTailEvent> queue, TailStreamer streamer)
        {
            while (streamer.Warnings.TryDequeue(out var warning)) WriteWarning(warning);
            var dropped = queue.TakeNewDrops();
            if (dropped > 0)
                WriteWarning($"{dropped} event(s) dropped: the pipeline is slower than the stream ({queue.Dropped} in all). Filter at the server (-Status, -Search, -SamplingRate), or use -Backpressure Block.");
            while (streamer.Failures.TryDequeue(out var failure)) WriteError(FailureRecord(failure.Script, failure.Error));
        }

        private void ReportAfterStop(TailEventQueue<CfTailEvent> queue, TailStreamer streamer) => WriteNotices(queue, streamer);

        private ErrorRecord FailureRecord(string script, Exception error)
        {
            if (error is CloudflareApiException api && api.HasCode(10057) && SamplingRate.HasValue)
            {
                // The caller chose the rate, so it is not lowered behind their back (without -SamplingRate it would be).
                var refused = WorkerApiError(api, script);
                refused.ErrorDetails = new ErrorDetails($"'{script}' has too much traffic for live tailing even at -SamplingRate {SamplingRate.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} (Cloudflare 10057: {api.Message}).")
                {
                    RecommendedAction = "Give a lower -SamplingRate, or leave it out: Start-CfTail then halves the rate until Cloudflare accepts one.",
                };
                return refused;
            }
            if (error is CloudflareApiException other) return WorkerApiError(other, script);
            var record = new ErrorRecord(error, ErrorIds.TailFailed, ErrorCategory.ConnectionError, script);
            record.ErrorDetails = new ErrorDetails($"The tail of '{script}' stopped: {error.GetBaseException().Message}")
            {
                RecommendedAction = "Run Start-CfTail again; Get-CfTail -Script " + script + " shows any tail left behind.",
            };
            return record;
        }
    }
}
