using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Http;

namespace CfManagement.Commands.Base
{
    /// <summary>
    /// The cancellable base of every cmdlet: async work runs with a token that StopProcessing (Ctrl+C) cancels, and
    /// blocks only here, at the cmdlet boundary, while this thread relays the pipeline's verbose and debug lines.
    /// </summary>
    public abstract class CfCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs async work to completion on behalf of this cmdlet; Ctrl+C stops the pipeline promptly. The work runs
        /// on the thread pool, so it must not touch cmdlet state that needs the pipeline thread (the session, Write*):
        /// resolve those before calling.
        /// </summary>
        protected internal T Await<T>(Func<CancellationToken, Task<T>> work) => Run(work, _stopping.Token);

        /// <summary>
        /// Runs a step that must not be abandoned halfway by Ctrl+C (a roll: once Cloudflare has issued the new
        /// value, walking away from the answer would lose it). It completes or times out; the caller checks
        /// <see cref="Cmdlet.Stopping"/> afterwards.
        /// </summary>
        protected internal T AwaitCritical<T>(Func<CancellationToken, Task<T>> work) => Run(work, CancellationToken.None);

        private T Run<T>(Func<CancellationToken, Task<T>> work, CancellationToken stop)
        {
            var relay = new DiagnosticsRelay();
            var previous = ApiDiagnostics.Current;
            ApiDiagnostics.Current = relay;
            Task<T> task;
            try
            {
                task = Task.Run(() => work(stop));
            }
            finally
            {
                ApiDiagnostics.Current = previous;
            }
            task.ContinueWith(_ => relay.Done(), TaskScheduler.Default);
            try
            {
                foreach (var (kind, text) in relay.Queue.GetConsumingEnumerable(stop))
                {
                    if (kind == DiagnosticsRelay.Kind.Done) break;
                    if (Stopping) continue; // nothing can be written once the pipeline is stopping
                    if (kind == DiagnosticsRelay.Kind.Verbose) WriteVerbose(text);
                    else WriteDebug(text);
                }
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Runs compensating work (a rollback) to completion even after Ctrl+C: it gets its own time budget instead of
        /// the stop token, because abandoning a rollback halfway is what would orphan a token.
        /// </summary>
        protected internal void AwaitCleanup(Func<CancellationToken, Task> work, TimeSpan? budget = null)
        {
            using (var timeout = new CancellationTokenSource(budget ?? TimeSpan.FromSeconds(60)))
            {
                var previous = ApiDiagnostics.Current;
                ApiDiagnostics.Current = null; // nothing can be written once the pipeline is stopping
                try
                {
                    Task.Run(() => work(timeout.Token)).GetAwaiter().GetResult();
                }
                finally
                {
                    ApiDiagnostics.Current = previous;
                }
            }
        }

        /// <summary>Await normally, or as cleanup once Ctrl+C has been pressed (rollback and ledger paths).</summary>
        protected internal void AwaitEvenIfStopping(Func<CancellationToken, Task> work)
        {
            if (Stopping) AwaitCleanup(work);
            else Await(work);
        }

        protected internal void Await(Func<CancellationToken, Task> work) => Await(async ct =>
        {
            await work(ct).ConfigureAwait(false);
            return true;
        });

        /// <summary>
        /// Streams every page of a list call to <paramref name="onItem"/> as it arrives (nothing is buffered beyond a
        /// page), with a progress bar once there is more than one page.
        /// </summary>
        protected void ReadAllPages<T>(string activity, Func<int, CancellationToken, Task<ApiPage<T>>> fetch, Action<T> onItem)
        {
            var activityId = (activity.Length % 1000) + 1;
            var showedProgress = false;
            try
            {
                for (var page = 1; ; page++)
                {
                    var current = page;
                    var result = Await(ct => fetch(current, ct));
                    foreach (var item in result.Items) onItem(item);
                    if (!result.HasMore) break;
                    showedProgress = true;
                    WriteProgress(new ProgressRecord(activityId, activity, $"Page {current} of {result.TotalPages} ({result.TotalCount} in all)")
                    {
                        PercentComplete = Math.Min(100, (int)(100.0 * current / Math.Max(1, result.TotalPages))),
                    });
                }
            }
            finally
            {
                if (showedProgress)
                    WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        internal void ReadAllPagesInternal<T>(string activity, Func<int, CancellationToken, Task<ApiPage<T>>> fetch, Action<T> onItem) =>
            ReadAllPages(activity, fetch, onItem);

        /// <summary>Writes every validation error (the user sees them all at once); true when there was any.</summary>
        protected internal bool WriteErrors(IReadOnlyCollection<ErrorRecord> errors)
        {
            foreach (var error in errors) WriteError(error);
            return errors.Count > 0;
        }

        /// <summary>Reports a failed call as a non-terminating error (per-item failures must not stop the pipeline).</summary>
        protected void WriteApiError(CloudflareApiException ex, object? target, string? notFoundErrorId = null, string? notFoundAction = null) =>
            WriteError(ApiErrorMapper.ToErrorRecord(ex, target, notFoundErrorId, notFoundAction));

        protected override void ProcessRecord()
        {
            try
            {
                ProcessCfRecord();
            }
            catch (CfRecordException ex)
            {
                WriteError(ex.ErrorRecord);
            }
            catch (CloudflareApiException ex)
            {
                WriteApiError(ex, null);
            }
        }

        /// <summary>Per-record work. Unhandled API failures become non-terminating errors.</summary>
        protected abstract void ProcessCfRecord();

        private readonly List<Action> _atEnd = new List<Action>();

        /// <summary>Runs <paramref name="action"/> when the pipeline is done with this command (PowerShell disposes it then).</summary>
        internal void AtEnd(Action action)
        {
            if (!_atEnd.Contains(action)) _atEnd.Add(action);
        }

        public void Dispose()
        {
            foreach (var action in _atEnd) action();
            _atEnd.Clear();
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
