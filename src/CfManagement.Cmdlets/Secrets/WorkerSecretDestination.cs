using System;
using System.Collections.Generic;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Issuance;

namespace CfManagement.Secrets
{
    /// <summary>
    /// A Worker script secret (the script reads it as env.NAME). Values are write-only on Cloudflare's side. A
    /// destination writes one part of the credential: the primary secret, or the part it was given (an Access service
    /// token goes to two of them, NAME_CLIENT_ID and NAME_CLIENT_SECRET).
    /// </summary>
    internal sealed class WorkerSecretDestination : ISecretDestination
    {
        private readonly string? _part;

        public WorkerSecretDestination(string script, string secretName, string? part = null)
        {
            Script = script;
            SecretName = secretName;
            _part = part;
        }

        public string Script { get; }
        public string SecretName { get; }
        public string Description => $"worker:{Script}/{SecretName}";

        public void Write(CfSessionCmdlet cmdlet, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
        {
            var value = credential.ValueOf(_part);
            var session = cmdlet.CurrentSession;
            var accountId = session.AccountId ?? throw new DestinationException("Worker secrets live in an account, but the session has no account id.", null);
            try
            {
                cmdlet.AwaitEvenIfStopping(ct => session.Workers.PutSecretAsync(accountId, Script, SecretName, value, ct));
            }
            catch (CloudflareApiException ex)
            {
                throw new DestinationException($"Writing Worker secret {SecretName} of script '{Script}' failed: {ex.Message}", ex);
            }
        }

        public void Remove(CfSessionCmdlet cmdlet)
        {
            var session = cmdlet.CurrentSession;
            try
            {
                cmdlet.AwaitEvenIfStopping(ct => session.Workers.DeleteSecretAsync(session.AccountId!, Script, SecretName, ct));
            }
            catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
            {
                // already gone
            }
            catch (CloudflareApiException ex)
            {
                throw new DestinationException($"Removing Worker secret {SecretName} of script '{Script}' failed: {ex.Message}", ex);
            }
        }

        /// <summary>A Worker binding name derived from a token name: CI-Deploy → CI_DEPLOY.</summary>
        public static string BindingNameFor(string tokenName)
        {
            var chars = tokenName.ToUpperInvariant().ToCharArray();
            for (var i = 0; i < chars.Length; i++)
                if (!(char.IsLetterOrDigit(chars[i]) && chars[i] < 128)) chars[i] = '_';
            var name = new string(chars);
            return char.IsDigit(name[0]) ? "_" + name : name;
        }
    }
}
