using System.Management.Automation;

namespace CfManagement.Tests.Infrastructure;

/// <summary>Everything one PowerShell invocation produced, stream by stream.</summary>
public sealed class PsResult
{
    public required IReadOnlyList<PSObject> Output { get; init; }
    public required IReadOnlyList<ErrorRecord> Errors { get; init; }
    public required IReadOnlyList<WarningRecord> Warnings { get; init; }
    public required IReadOnlyList<VerboseRecord> Verbose { get; init; }
    public required IReadOnlyList<DebugRecord> Debug { get; init; }
    public required IReadOnlyList<InformationRecord> Information { get; init; }
    public required IReadOnlyList<ProgressRecord> Progress { get; init; }
    /// <summary>The terminating error, if the invocation threw.</summary>
    public Exception? Terminating { get; init; }
    public string HostText { get; init; } = "";

    /// <summary>What <paramref name="ps"/> wrote to each stream, with its output and the host's text (also for a stopped invocation).</summary>
    public static PsResult Collect(PowerShell ps, IEnumerable<PSObject> output, string hostText, Exception? terminating = null) => new()
    {
        Output = output.ToList(),
        Errors = ps.Streams.Error.ToList(),
        Warnings = ps.Streams.Warning.ToList(),
        Verbose = ps.Streams.Verbose.ToList(),
        Debug = ps.Streams.Debug.ToList(),
        Information = ps.Streams.Information.ToList(),
        Progress = ps.Streams.Progress.ToList(),
        Terminating = terminating,
        HostText = hostText,
    };

    /// <summary>Only rendered text (e.g. Format-List output), for a leak check over what a user would see.</summary>
    public static PsResult Rendered(string text) => new()
    {
        Output = [], Errors = [], Warnings = [], Verbose = [], Debug = [], Information = [], Progress = [], HostText = text,
    };

    /// <summary>Every error: the non-terminating ones and the terminating one (as its ErrorRecord).</summary>
    public IEnumerable<ErrorRecord> AllErrors =>
        Terminating is IContainsErrorRecord c ? Errors.Append(c.ErrorRecord) : Errors;

    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    public ErrorRecord SingleError()
    {
        var all = AllErrors.ToList();
        Xunit.Assert.True(all.Count == 1, $"expected one error, got {all.Count}: {string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e))}");
        return all[0];
    }

    public void AssertNoErrors()
    {
        var all = AllErrors.ToList();
        Xunit.Assert.True(all.Count == 0, "unexpected errors: " + string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e)));
    }

    /// <summary>
    /// The command did its job: no error of any kind and at least <paramref name="minOutput"/> objects out. Leak tests
    /// check this first, because a command that fails early (parameter binding, a typo) leaks nothing and proves nothing.
    /// </summary>
    public void AssertSucceeded(string what, int minOutput = 1)
    {
        var all = AllErrors.ToList();
        Xunit.Assert.True(all.Count == 0, $"{what}: unexpected errors: " + string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Xunit.Assert.True(Output.Count >= minOutput, $"{what}: expected at least {minOutput} output object(s), got {Output.Count}");
    }

    /// <summary>
    /// The command failed the way the test meant it to: every error carries <paramref name="errorId"/> (the module's
    /// ErrorId, before the ",Command" suffix), so a binding or script error cannot stand in for the intended failure.
    /// </summary>
    public void AssertFailedWith(string what, string errorId)
    {
        var all = AllErrors.ToList();
        Xunit.Assert.True(all.Count > 0, $"{what}: expected the error {errorId}, but the command succeeded");
        Xunit.Assert.True(all.All(e => e.FullyQualifiedErrorId.Split(',')[0] == errorId),
            $"{what}: expected only {errorId}, got: " + string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + e)));
    }

    /// <summary>All text the invocation produced anywhere, for leak checks.</summary>
    public IEnumerable<string> AllText()
    {
        foreach (var o in Output) yield return o?.ToString() ?? "";
        foreach (var e in AllErrors)
        {
            yield return e.ToString();
            yield return e.FullyQualifiedErrorId;
            yield return e.ErrorDetails?.Message ?? "";
            yield return e.ErrorDetails?.RecommendedAction ?? "";
            yield return e.TargetObject?.ToString() ?? "";
            yield return e.CategoryInfo.ToString();
            for (var ex = e.Exception; ex != null; ex = ex.InnerException)
            {
                yield return ex.Message;
                yield return ex.ToString();
            }
        }
        if (Terminating != null) yield return Terminating.ToString();
        foreach (var w in Warnings) yield return w.Message;
        foreach (var v in Verbose) yield return v.Message;
        foreach (var d in Debug) yield return d.Message;
        foreach (var i in Information) yield return i.MessageData?.ToString() ?? "";
        foreach (var p in Progress) yield return p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation;
        yield return HostText;
    }
}
