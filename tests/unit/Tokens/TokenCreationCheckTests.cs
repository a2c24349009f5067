using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Issuance;
using CfManagement.Model;
using CfManagement.Sessions;
using CfManagement.Tests.Issuance;
using CfManagement.Tokens;
using Xunit;

namespace CfManagement.Tests.Tokens;

/// <summary>
/// The check after a create writes through the flow's writer (issue 7: nothing reaches a stopping pipeline), not
/// through the cmdlet: a stop that arrives while the new token is verified silences its warnings.
/// </summary>
public class TokenCreationCheckTests : IAsyncLifetime
{
    private CloudflareEmulator _cf = null!;

    public async Task InitializeAsync() => _cf = await CloudflareEmulator.StartAsync(new EmulatorOptions());
    public async Task DisposeAsync() => await _cf.DisposeAsync();

    /// <summary>A context whose stop arrives during the awaited verify request.</summary>
    private sealed class StopDuringAwait(FakeFlowContext inner) : IFlowContext
    {
        public bool Stopping => inner.Stopping;
        public IFlowWriter Writer => inner.Writer;
        public T Await<T>(Func<CancellationToken, Task<T>> work)
        {
            var result = inner.Await(work);
            inner.Stopping = true;
            return result;
        }
        public T AwaitCritical<T>(Func<CancellationToken, Task<T>> work) => inner.AwaitCritical(work);
        public void AwaitEvenIfStopping(Func<CancellationToken, Task> work) => inner.AwaitEvenIfStopping(work);
        public void AwaitCompensation(Func<CancellationToken, Task> work) => inner.AwaitCompensation(work);
        public void Pause(TimeSpan delay) => inner.Pause(delay);
        public void Rescue(object credential) => inner.Rescue(credential);
    }

    private static SecureString Secure(string plain)
    {
        var s = new SecureString();
        foreach (var c in plain) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }

    private (CfSession Session, CfTokenDefinition Asked, CfCreatedToken Created) Reduced()
    {
        var dnsRead = _cf.State.PermissionGroupId("DNS Read");
        var (id, value) = _cf.State.AddUserToken(_cf.State.AdminUserEmail, "reduced", []);
        var session = new CfSession(Secure(_cf.State.AdminTokenValue), _cf.BaseUri, null, null, "test");
        var asked = new CfTokenDefinition("reduced", [new CfTokenPolicy(null, "allow", [new CfPermissionGroupRef(dnsRead, "DNS Read")], new Dictionary<string, string>())]);
        var token = new CfToken(id, "reduced", "active", CfTokenScope.User, null, DateTimeOffset.UtcNow, null, null, null, null,
            Array.Empty<CfTokenPolicy>(), Array.Empty<string>(), Array.Empty<string>());
        return (session, asked, new CfCreatedToken(token, Secure(value)));
    }

    [Fact]
    public void Fewer_permissions_than_asked_is_warned_through_the_flow_writer()
    {
        var (session, asked, created) = Reduced();
        using (session)
        {
            var context = new FakeFlowContext();
            Assert.Equal(["DNS Read"], TokenCreationCheck.WarnIfReduced(context, session, CfTokenScope.User, asked, created));
            Assert.Contains(context.Written, w => w.StartsWith("warning: ") && w.Contains("fewer permissions"));
        }
    }

    [Fact]
    public void A_stop_during_the_verify_drops_the_warning_and_still_reports_what_is_missing()
    {
        var (session, asked, created) = Reduced();
        using (session)
        {
            var inner = new FakeFlowContext();
            Assert.Equal(["DNS Read"], TokenCreationCheck.WarnIfReduced(new StopDuringAwait(inner), session, CfTokenScope.User, asked, created));
            Assert.DoesNotContain(inner.Written, w => w.StartsWith("warning: "));
            Assert.Contains(inner.WrittenWhileStopping, w => w.Contains("fewer permissions")); // offered to the writer, which dropped it
        }
    }
}
