using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// HMAC-SHA256 of (account, target, name, value) under the ledger's own random key: what the ledger keeps so a
    /// repeated Set or Sync can tell that a secret already holds this value (Cloudflare never returns values).
    /// </summary>
    /// <remarks>
    /// Trade-off: the key lives in the same ledger (it must: a D1 ledger is shared by runners on many machines), so
    /// whoever can read the ledger can test guesses of a value offline. The fingerprint does not reveal a value; it
    /// defeats precomputed tables and correlating the same value across ledgers, accounts, targets or names, but not
    /// guessing a low-entropy secret by someone who holds the ledger. Protect the ledger like a deployment log, and
    /// prefer high-entropy secrets. Without a fingerprint (new ledger, other machine) the secret is simply written.
    /// </remarks>
    internal static class SecretFingerprint
    {
        public static string Compute(byte[] key, string accountId, string target, string name, SecureString value)
        {
            var ptr = IntPtr.Zero;
            byte[]? message = null;
            char[]? chars = null;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(value);
                chars = new char[value.Length];
                Marshal.Copy(ptr, chars, 0, chars.Length);
                // Length-prefixed fields, so ("ab","c") and ("a","bc") never share a message.
                var prefix = Encoding.UTF8.GetBytes($"{accountId.Length}:{accountId}|{target.Length}:{target}|{name.Length}:{name}|");
                var valueBytes = Encoding.UTF8.GetByteCount(chars);
                message = new byte[prefix.Length + valueBytes];
                Buffer.BlockCopy(prefix, 0, message, 0, prefix.Length);
                Encoding.UTF8.GetBytes(chars, 0, chars.Length, message, prefix.Length);
                using (var hmac = new HMACSHA256(key))
                {
                    var hash = hmac.ComputeHash(message);
                    var hex = new StringBuilder(hash.Length * 2);
                    foreach (var b in hash) hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    return "hmac-sha256:" + hex;
                }
            }
            finally
            {
                if (chars != null) Array.Clear(chars, 0, chars.Length);
                if (message != null) Array.Clear(message, 0, message.Length);
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
