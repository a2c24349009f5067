using System.Linq;
using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace CfManagement.Issuance
{
    /// <summary>
    /// What differs between the flows that make Cloudflare issue a value (roll, reissue, managed token): how the value
    /// is issued, what the ledger calls each step, the registry rows, and the words of their errors. The order of the
    /// steps, the stop policy, retries, compensation and keeping the value belong to <see cref="CredentialIssuance"/>.
    /// Hooks that record may throw: before the value is safe, that withdraws it (when it can be withdrawn).
    /// </summary>
    internal abstract class IssuancePlan
    {
        protected IssuancePlan(IReadOnlyList<ICredentialDestination> destinations)
        {
            Destinations = destinations;
            // What the ledger records as the destination: where the value goes, or the caller when it goes nowhere else.
            Where = destinations.Count == 0 ? "caller" : string.Join(", ", destinations.Select(d => d.Description));
        }

        public IReadOnlyList<ICredentialDestination> Destinations { get; }

        /// <summary>The destinations' descriptions, comma-separated, or "caller".</summary>
        protected string Where { get; }

        /// <summary>
        /// True when the issued credential is new and can be revoked (mint, reissue): any failure or stop before it is
        /// delivered withdraws it everywhere. False for a roll: the old value is already dead, so the new one is kept.
        /// </summary>
        public abstract bool CanWithdraw { get; }

        /// <summary>Runs before the request (e.g. the ledger's Pending trace); false when nothing may be issued (it said why).</summary>
        public virtual bool BeforeIssue() => true;

        /// <summary>Sends the issuing request; never abandoned once sent (await it as critical work).</summary>
        public abstract IssuedCredential Issue();

        /// <summary>The request failed: nothing was issued. Record and report.</summary>
        public abstract void IssueFailed(Exception error);

        /// <summary>Right after the issue: record it (and the registry row) before anything else happens.</summary>
        public virtual void Issued(IssuedCredential credential) { }

        /// <summary>A reason to withdraw what was issued (e.g. fewer permissions than asked); null when it is what was asked.</summary>
        public virtual string? Check(IssuedCredential credential) => null;

        public abstract IReadOnlyDictionary<string, string> Metadata(IssuedCredential credential);

        public abstract void Stored(IssuedCredential credential, ICredentialDestination destination);

        public abstract void StoreFailed(IssuedCredential credential, ICredentialDestination destination, Exception error);

        /// <summary>Everything delivered: the last step that a failure still compensates (e.g. the registry row goes Active).</summary>
        public virtual void Complete(IssuedCredential credential) { }

        /// <summary>After the point of no return (e.g. revoke the replaced token); failures here are reported, never compensated.</summary>
        public virtual void Finalize(IssuedCredential credential) { }

        /// <summary>What the caller receives on success (written unless stopping).</summary>
        public abstract object Result(IssuedCredential credential);

        /// <summary>Revokes the issued credential (compensation; runs even after Ctrl+C).</summary>
        public virtual void Withdraw(IssuedCredential credential) => throw new NotSupportedException("This credential cannot be withdrawn.");

        public virtual void Unstored(IssuedCredential credential, ICredentialDestination destination) { }

        /// <summary>
        /// Records how a withdrawal ended and returns the error for the caller. When the credential could not be
        /// revoked, the error's TargetObject must carry it (<see cref="IssuedCredential.ToCallerCredential"/>).
        /// </summary>
        public abstract ErrorRecord WithdrawFinished(IssuedCredential credential, Withdrawal withdrawal);

        /// <summary>The error that hands a kept (not withdrawn, not stored) value to the caller in its TargetObject.</summary>
        public abstract ErrorRecord KeptError(IssuedCredential credential, ICredentialDestination? failedAt, string reason, Exception? cause);

        /// <summary>Records that the value went to $CfRescuedCredentials (the ledger's `rescue` entry).</summary>
        public abstract void Rescued(IssuedCredential credential, string reason);
    }
}
