using System.Management.Automation;
using System.Security;
using CfManagement.Issuance;
using CfManagement.Model;
using Xunit;

namespace CfManagement.Tests.Issuance;

/// <summary>A flow context without a pipeline: awaits run inline, the writer records (and drops once stopping), rescue keeps.</summary>
internal sealed class FakeFlowContext : IFlowContext, IFlowWriter
{
    public bool Stopping { get; set; }
    public List<string> Written { get; } = new();
    public List<ErrorRecord> Errors { get; } = new();
    public List<object> Outputs { get; } = new();
    public List<CfTokenCredential> Rescued { get; } = new();
    public int Pauses { get; private set; }
    /// <summary>Anything written once stopping (must stay empty).</summary>
    public List<string> WrittenWhileStopping { get; } = new();

    public IFlowWriter Writer => this;
    public T Await<T>(Func<CancellationToken, Task<T>> work)
    {
        if (Stopping) throw new PipelineStoppedException();
        return work(CancellationToken.None).GetAwaiter().GetResult();
    }
    public T AwaitCritical<T>(Func<CancellationToken, Task<T>> work) => work(CancellationToken.None).GetAwaiter().GetResult();
    public void AwaitEvenIfStopping(Func<CancellationToken, Task> work) => work(CancellationToken.None).GetAwaiter().GetResult();
    public void AwaitCompensation(Func<CancellationToken, Task> work) => work(CancellationToken.None).GetAwaiter().GetResult();
    public void Pause(TimeSpan delay) => Pauses++;
    public void Rescue(object credential) => Rescued.Add((CfTokenCredential)credential);

    public bool Verbose(string text) => Write("verbose: " + text);
    public bool Warning(string text) => Write("warning: " + text);
    public bool Error(ErrorRecord record)
    {
        if (!Write("error: " + record.FullyQualifiedErrorId)) return false;
        Errors.Add(record);
        return true;
    }
    public bool Output(object value)
    {
        if (!Write("output: " + value)) return false;
        Outputs.Add(value);
        return true;
    }

    private bool Write(string text)
    {
        if (Stopping)
        {
            WrittenWhileStopping.Add(text);
            return false;
        }
        Written.Add(text);
        return true;
    }
}

internal sealed class FakeDestination : ICredentialDestination
{
    private readonly List<string> _journal;

    public FakeDestination(string name, List<string> journal)
    {
        Description = "fake:" + name;
        _journal = journal;
    }

    public string Description { get; }
    /// <summary>Upcoming deliveries that fail; -1 = all.</summary>
    public int FailDeliveries { get; set; }
    public bool FailRemove { get; set; }
    public Action? OnDeliver { get; set; }
    public IssuedCredential? Holds { get; private set; }
    public int Attempts { get; private set; }

    public void Deliver(IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
    {
        Attempts++;
        OnDeliver?.Invoke();
        if (FailDeliveries != 0)
        {
            if (FailDeliveries > 0) FailDeliveries--;
            _journal.Add("deliver-failed " + Description);
            throw new InvalidOperationException(Description + " is unavailable");
        }
        Assert.Contains(credential.Parts, p => p.IsSecret);
        Holds = credential;
        _journal.Add("deliver " + Description);
    }

    public void Remove()
    {
        if (FailRemove)
        {
            _journal.Add("remove-failed " + Description);
            throw new InvalidOperationException(Description + " refused the removal");
        }
        Holds = null;
        _journal.Add("remove " + Description);
    }
}

/// <summary>
/// A plan whose every hook writes to a journal, can be made to fail (<see cref="FailAt"/>) or to see Ctrl+C
/// (<see cref="StopAt"/>: the context starts stopping inside that hook).
/// </summary>
internal sealed class FakePlan : IssuancePlan
{
    private readonly FakeFlowContext _context;

    public FakePlan(FakeFlowContext context, bool canWithdraw, List<string> journal, params FakeDestination[] destinations) : base(destinations)
    {
        _context = context;
        CanWithdraw = canWithdraw;
        Journal = journal;
    }

    public override bool CanWithdraw { get; }
    public List<string> Journal { get; }
    public string? FailAt { get; set; }
    public string? StopAt { get; set; }
    public string? CheckReason { get; set; }
    public bool Revoked { get; private set; }
    public Withdrawal? Withdrawal { get; private set; }
    public static readonly SecretValue Value = new("s3cr3t-value-123");

    private void Step(string name)
    {
        Journal.Add(name);
        if (StopAt == name) _context.Stopping = true;
        if (FailAt == name) throw new InvalidOperationException(name + " failed");
    }

    public override bool BeforeIssue()
    {
        Journal.Add("BeforeIssue");
        return FailAt != "BeforeIssue";
    }

    public override IssuedCredential Issue()
    {
        Step("Issue");
        var token = new CfToken("tok1", "ci-deploy", "active", CfTokenScope.User, null, DateTimeOffset.UtcNow, null, null, null, null,
            Array.Empty<CfTokenPolicy>(), Array.Empty<string>(), Array.Empty<string>());
        return IssuedCredential.ApiToken(token, Value.Secure(), DateTimeOffset.UtcNow);
    }

    public override void IssueFailed(Exception error) => Journal.Add("IssueFailed");
    public override void Issued(IssuedCredential credential) => Step("Issued");
    public override string? Check(IssuedCredential credential)
    {
        Step("Check");
        return CheckReason;
    }
    public override IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential) => new Dictionary<string, string> { ["TokenId"] = credential.Id };
    public override void Stored(IssuedCredential credential, ICredentialDestination destination) => Step("Stored " + destination.Description);
    public override void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error) => Journal.Add("StoreFailed " + destination.Description);
    public override void Complete(IssuedCredential credential) => Step("Complete");
    public override void Finalize(IssuedCredential credential) => Step("Finalize");
    public override object Result(IssuedCredential credential) => credential.ToCallerCredential();

    public override void Withdraw(IssuedCredential credential)
    {
        Step("Withdraw");
        Revoked = true;
    }

    public override void Unstored(IssuedCredential credential, ICredentialDestination destination) => Journal.Add("Unstored " + destination.Description);

    public override ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal)
    {
        Journal.Add("WithdrawFinished");
        Withdrawal = withdrawal;
        return new ErrorRecord(new InvalidOperationException("withdrawn: " + withdrawal.Reason), withdrawal.Revoked ? "RolledBack" : "RollbackFailed",
            ErrorCategory.WriteError, withdrawal.Revoked ? credential.Name : credential.ToCallerCredential());
    }

    public override ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause)
    {
        Journal.Add("KeptError");
        return new ErrorRecord(new InvalidOperationException(reason), "DestinationWriteFailed", ErrorCategory.WriteError, credential.ToCallerCredential());
    }

    public override void Rescued(IssuedCredential credential, string reason) => Journal.Add("Rescued");
}

internal sealed record SecretValue(string Plain)
{
    public SecureString Secure()
    {
        var s = new SecureString();
        foreach (var c in Plain) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }
}
