using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using CfManagement.Demo;
using CfManagement.Emulator;

// Starts the local Cloudflare emulator, then runs tools/demo.ps1 against it in a hosted PowerShell engine that
// renders the module's format views to this console.
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "CfManagement.sln"))) root = root.Parent;
if (root == null) throw new InvalidOperationException("Run from inside the CfManagement repository.");

await using var emulator = await CloudflareEmulator.StartAsync();
Console.WriteLine($"Emulator listening on {emulator.BaseUri}");

var host = new ConsoleHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;

var token = new SecureString();
foreach (var c in emulator.State.AdminTokenValue) token.AppendChar(c);
token.MakeReadOnly();
ps.AddCommand(Path.Combine(root.FullName, "tools", "demo.ps1"))
  .AddParameter("ApiBaseUri", emulator.BaseUri.ToString())
  .AddParameter("ApiToken", token)
  .AddParameter("AccountId", emulator.State.AccountId)
  .AddCommand("Out-Default");
try
{
    ps.Invoke();
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine("Demo failed: " + ex.ErrorRecord);
    return 1;
}
foreach (var error in ps.Streams.Error) Console.Error.WriteLine("ERROR: " + error);
// The demo catches its own deliberate bad-input error; only errors that reached the stream fail it.
return ps.Streams.Error.Count > 0 ? 1 : 0;
