using System.Globalization;
using CfManagement.Emulator;

// Usage: CfManagement.Emulator [--port N] [--account-id HEX] [--rate-limit N] [--rate-window-seconds N] [--token-file PATH]
var options = new EmulatorOptions();
string? tokenFile = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--port": options.Port = NextInt(); break;
            case "--account-id": options.AccountId = Next(); break;
            case "--rate-limit": options.RateLimitRequests = NextInt(); break;
            case "--rate-window-seconds": options.RateLimitWindow = TimeSpan.FromSeconds(NextInt()); break;
            case "--token-file": tokenFile = Next(); break;
            case "-h" or "--help":
                Console.WriteLine(Usage());
                return 0;
            default: throw new ArgumentException($"Unknown option {args[i]}");
        }
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage());
    return 2;
}

await using var emulator = await CloudflareEmulator.StartAsync(options);
if (tokenFile is not null)
    await File.WriteAllTextAsync(tokenFile, emulator.State.AdminTokenValue); // a fake credential; never printed

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });

Console.WriteLine($"CfEmulator listening on {emulator.BaseUri}");
await stop.Task;
return 0;

static string Usage() =>
    "Usage: dotnet run --project src/CfManagement.Emulator -- [--port N] [--account-id HEX] [--rate-limit N] [--rate-window-seconds N] [--token-file PATH]";
