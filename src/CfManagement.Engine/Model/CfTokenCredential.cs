using System;

namespace CfManagement.Model
{
    /// <summary>
    /// A token value freshly minted or rolled, with where it went. <see cref="Value"/> is a SecureString unless the
    /// caller asked for -AsPlainText; ToString() never shows it. A credential whose value was delivered to a
    /// destination (a vault, a Worker secret) carries no value at all: Export-Clixml of a SecureString is reversible
    /// on Linux and macOS (there is no DPAPI), so an object that does not need the value must not hold it.
    /// </summary>
    public sealed class CfTokenCredential
    {
        public CfTokenCredential(CfToken token, object? value, string? destination, DateTimeOffset issuedOn)
        {
            Token = token;
            Value = destination == null ? value : null;
            Destination = destination;
            IssuedOn = issuedOn;
        }

        public string Id => Token.Id;
        public string Name => Token.Name;
        public CfTokenScope Scope => Token.Scope;
        public DateTimeOffset? ExpiresOn => Token.ExpiresOn;
        /// <summary>When this value was minted (create or roll).</summary>
        public DateTimeOffset IssuedOn { get; }
        /// <summary>Where the value was written (e.g. vault:Store/Name, worker:script/NAME), or null when only returned.</summary>
        public string? Destination { get; }
        public CfToken Token { get; }
        /// <summary>SecureString, or string only with -AsPlainText; null when the value went to <see cref="Destination"/>.</summary>
        public object? Value { get; }

        public override string ToString() => $"{Name} ({Id})";
    }
}
