using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public enum PagesDestinationFault { None, IssueApi5xx, WriteFails, ProjectMissing, WriteRateLimited, WriteAndRevokeFail }

/// <summary>
/// The pages:&lt;project&gt;/&lt;env&gt;/&lt;NAME&gt; destination under the faults IssuanceFaultMatrixTests puts the vault through,
/// for every issuing flow (roll, Repair-CfToken -Reissue, New-CfManagedToken). Whatever happened, after the flow and one
/// `Remove-CfExpiredManagedToken -IncludeOrphaned` once the faults are gone: 0 orphaned tokens (a live token the flow
/// created is in the Pages secret, or it is gone), 0 lost values (a live issued value is in the Pages secret, in
/// $CfRescuedCredentials or in an error's TargetObject), nothing recorded as stored that is not, the project's other
/// variables untouched, and no secret value in any stream, the ledger or the emulator's request log.
/// </summary>
public class PagesDestinationFaultMatrixTests : CmdletTestBase
{
    private const string Project = "site";
    private const string Environment = "preview";

    [Theory]
    [InlineData(IssuanceFlow.Roll, PagesDestinationFault.None)]
    [InlineData(IssuanceFlow.Roll, PagesDestinationFault.IssueApi5xx)]
    [InlineData(IssuanceFlow.Roll, PagesDestinationFault.WriteFails)]
    [InlineData(IssuanceFlow.Roll, PagesDestinationFault.ProjectMissing)]
    [InlineData(IssuanceFlow.Roll, PagesDestinationFault.WriteRateLimited)]
    // A roll has no compensating revoke (the old value is already dead): WriteAndRevokeFail does not apply.
    [InlineData(IssuanceFlow.Reissue, PagesDestinationFault.None)]
    [InlineData(IssuanceFlow.Reissue, PagesDestinationFault.IssueApi5xx)]
    [InlineData(IssuanceFlow.Reissue, PagesDestinationFault.WriteFails)]
    [InlineData(IssuanceFlow.Reissue, PagesDestinationFault.ProjectMissing)]
    [InlineData(IssuanceFlow.Reissue, PagesDestinationFault.WriteRateLimited)]
    [InlineData(IssuanceFlow.Reissue, PagesDestinationFault.WriteAndRevokeFail)]
    [InlineData(IssuanceFlow.Managed, PagesDestinationFault.None)]
    [InlineData(IssuanceFlow.Managed, PagesDestinationFault.IssueApi5xx)]
    [InlineData(IssuanceFlow.Managed, PagesDestinationFault.WriteFails)]
    [InlineData(IssuanceFlow.Managed, PagesDestinationFault.ProjectMissing)]
    [InlineData(IssuanceFlow.Managed, PagesDestinationFault.WriteRateLimited)]
    [InlineData(IssuanceFlow.Managed, PagesDestinationFault.WriteAndRevokeFail)]
    public void Every_flow_into_a_Pages_secret_keeps_the_invariants(IssuanceFlow flow, PagesDestinationFault fault)
    {
        // ---- arrange ----
        var project = fault == PagesDestinationFault.ProjectMissing ? "missing-site" : Project;
        Emulator.State.AddPagesProject(Project);
        string command, secretName, createdName;
        string? oldId = null, oldValue = null;
        const string destination = $"-PagesProject {{0}} -PagesEnvironment {Environment} -PagesSecretName CF_TOKEN";
        switch (flow)
        {
            case IssuanceFlow.Roll:
                (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "p-roll", [Emulator.State.PermissionGroupId("DNS Read")]);
                command = $"Invoke-CfTokenRoll -Id {oldId} {string.Format(destination, project)} -Confirm:$false -Verbose";
                createdName = "p-roll";
                break;
            case IssuanceFlow.Reissue:
                (oldId, oldValue) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "p-reissue", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
                command = $"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue {string.Format(destination, project)} -Confirm:$false -Verbose";
                createdName = "p-reissue-reissued";
                break;
            default:
                command = $"New-CfManagedToken -Name p-managed -Purpose 'pages matrix' -PermissionGroup 'Pages Write' -Ttl 8:00:00 {string.Format(destination, project)} -Confirm:$false -Verbose";
                createdName = "p-managed";
                break;
        }
        secretName = "CF_TOKEN";
        ConnectOrFail(extra: fault is PagesDestinationFault.IssueApi5xx or PagesDestinationFault.WriteFails or PagesDestinationFault.WriteAndRevokeFail ? "-MaxRetryCount 1" : "");
        // A variable the flow must never touch, whatever happens.
        Ps.Set("keep", PsSession.Secure("keep-this-value"));
        Ps.Run($"Set-CfPagesSecret -Project {Project} -Environment {Environment} -Name KEEP_ME -Value $keep").AssertSucceeded("seed", 1);

        var issueMethod = flow == IssuanceFlow.Roll ? "PUT" : "POST";
        var issuePath = flow == IssuanceFlow.Roll ? "/value" : "/user/tokens";
        var pagesPath = $"/pages/projects/{project}";
        switch (fault)
        {
            case PagesDestinationFault.IssueApi5xx:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = issueMethod, PathContains = issuePath });
                break;
            case PagesDestinationFault.WriteFails:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PATCH", PathContains = pagesPath });
                break;
            case PagesDestinationFault.WriteRateLimited:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 1, Times = 1, Method = "PATCH", PathContains = pagesPath });
                break;
            case PagesDestinationFault.WriteAndRevokeFail:
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PATCH", PathContains = pagesPath });
                Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/tokens/" });
                break;
        }

        // ---- act, then the faults go away and cleanup runs once ----
        var result = Ps.Run(command);
        Emulator.Faults.Clear();
        var stored = Emulator.State.PagesEnvVarOf(Project, Environment, secretName)?.Value;
        var candidates = new List<string>();
        if (stored != null) candidates.Add(stored);
        candidates.AddRange(Rescued());
        candidates.AddRange(result.AllErrors.Select(e => ValueOf(e.TargetObject)).OfType<string>());
        var liveNew = candidates.Where(v => v != oldValue && Emulator.State.IsValueLive(v)).Distinct().ToList();
        var createdAfterFlow = flow == IssuanceFlow.Roll ? [] : Emulator.State.AllTokens.Where(t => t.Name == createdName).ToList();
        var cleanup = Ps.Run("Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes 0");
        cleanup.AssertNoErrors();
        var ledger = LedgerReader.Entries(LedgerPath);
        var context = $"{flow}/{fault}: errors [{string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId))}], ledger [{string.Join(" ; ", ledger.Select(e => $"{e.Kind}/{e.Action}/{e.Outcome}"))}]";

        // ---- the expected outcome per fault ----
        var delivered = stored != null && stored != oldValue && Emulator.State.IsValueLive(stored);
        if (fault is PagesDestinationFault.None or PagesDestinationFault.WriteRateLimited)
        {
            result.AssertNoErrors();
            Assert.True(delivered, "the value should be in the Pages secret: " + context);
            Assert.Contains(ledger, e => e.Action == "store" && e.Outcome == "Succeeded" && (e.ToString().Contains($"pages:{Project}/{Environment}/{secretName}")));
        }
        else
        {
            Assert.NotEmpty(result.AllErrors);
            Assert.False(delivered && fault != PagesDestinationFault.IssueApi5xx, "a failed write left a value behind: " + context);
        }

        // ---- 0 lost values ----
        if (flow == IssuanceFlow.Roll)
        {
            if (!Emulator.State.IsValueLive(oldValue!))
                Assert.True(liveNew.Count >= 1, "the rolled value is lost: " + context);
        }
        else
        {
            Assert.True(createdAfterFlow.Count <= 1, "more than one token was created: " + context);
            if (createdAfterFlow.Count == 1) Assert.True(liveNew.Count >= 1, "a live created token whose value is nowhere: " + context);
        }

        // ---- 0 orphaned tokens ----
        if (flow != IssuanceFlow.Roll)
        {
            var left = Emulator.State.AllTokens.Where(t => t.Name == createdName).ToList();
            if (!delivered) Assert.True(left.Count == 0, "an undelivered created token survived cleanup (orphan): " + context);
            else Assert.Single(left);
        }

        // ---- a consistent ledger ----
        if (!delivered)
            foreach (var store in ledger.Where(e => e.Action == "store" && e.Outcome == "Succeeded"))
                Assert.True(ledger.Any(e => e.Action == "unstore" && e.TokenId == store.TokenId && e.Sequence > store.Sequence), "a store Succeeded that is not in the Pages secret: " + context);
        if (flow == IssuanceFlow.Reissue && !delivered)
            Assert.True(Emulator.State.IsValueLive(oldValue!) || liveNew.Count > 0, "the old token is revoked with no replacement kept: " + context);

        // ---- the project's other variables are untouched ----
        Assert.Equal(("secret_text", "keep-this-value"), Emulator.State.PagesEnvVarOf(Project, Environment, "KEEP_ME"));
        Assert.Equal(delivered ? ["CF_TOKEN", "KEEP_ME"] : ["KEEP_ME"], Emulator.State.PagesEnvVarNames(Project, Environment));
        Assert.Empty(Emulator.State.PagesEnvVarNames(Project, "production"));

        // ---- no secret anywhere ----
        var secrets = candidates.Append(oldValue).OfType<string>().Distinct().ToArray();
        SecretAssert.NotLeaked(result, secrets);
        SecretAssert.NotLeaked(cleanup, secrets);
        foreach (var value in secrets)
        {
            Assert.DoesNotContain(ledger, e => e.ToString().Contains(value[5..]));
            Assert.DoesNotContain(Emulator.Requests, r => r.Body.Contains(value[5..]));
        }
    }

    private List<string> Rescued()
    {
        var values = new List<string>();
        if (Ps.Get("CfRescuedCredentials") is System.Collections.IEnumerable rescued)
            foreach (var credential in rescued) values.Add(Plain.Of(((dynamic)credential).Value));
        return values;
    }

    private static string? ValueOf(object? target)
    {
        if (target is PSObject pso) target = pso.BaseObject;
        if (target == null) return null;
        var property = target.GetType().GetProperty("Value");
        return property?.GetValue(target) is SecureString s ? Plain.Of(s) : null;
    }
}
