using System.Runtime.CompilerServices;

// The cmdlets reach the session's API clients; PowerShell users see only the public surface.
[assembly: InternalsVisibleTo("CfManagement.Cmdlets")]
