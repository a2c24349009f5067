using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using CfManagement.Errors;

namespace CfManagement.Validation
{
    /// <summary>
    /// Checks a token value before it is sent. A Cloudflare token is printable ASCII without spaces; surrounding white
    /// space (the line end of Get-Content -Raw, a pasted newline) is trimmed, the one normalisation the module makes.
    /// Anything else (an inner line feed, a space, a tab, NUL, DEL, a non-ASCII character) is refused with
    /// InvalidTokenValue; the value itself never appears in the error, only the kind and position of the character.
    /// </summary>
    public static class TokenValueValidator
    {
        /// <summary>
        /// Null when the value is usable; then <paramref name="usable"/> is the value to send: the input itself, or a
        /// trimmed read-only copy (<paramref name="copied"/> true; the caller disposes it).
        /// </summary>
        public static ErrorRecord? Check(SecureString? value, string parameterName, out SecureString? usable, out bool copied)
        {
            usable = null;
            copied = false;
            if (value == null || value.Length == 0) return Empty(parameterName);
            var length = value.Length;
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
                int start = 0, end = length;
                while (start < end && char.IsWhiteSpace(At(pointer, start))) start++;
                while (end > start && char.IsWhiteSpace(At(pointer, end - 1))) end--;
                if (start == end) return Empty(parameterName);
                for (var i = start; i < end; i++)
                {
                    var c = At(pointer, i);
                    if (c > ' ' && c < '\u007f') continue;
                    return Refuse(parameterName, Describe(c), i - start + 1);
                }
                if (start == 0 && end == length)
                {
                    usable = value;
                    return null;
                }
                var trimmed = new SecureString();
                for (var i = start; i < end; i++) trimmed.AppendChar(At(pointer, i));
                trimmed.MakeReadOnly();
                usable = trimmed;
                copied = true;
                return null;
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>The same check for a value read from an environment variable (plain text already).</summary>
        public static ErrorRecord? Check(string? value, string parameterName, out string? usable)
        {
            usable = null;
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed)) return Empty(parameterName);
            for (var i = 0; i < trimmed!.Length; i++)
            {
                var c = trimmed[i];
                if (c > ' ' && c < '\u007f') continue;
                return Refuse(parameterName, Describe(c), i + 1);
            }
            usable = trimmed;
            return null;
        }

        private static char At(IntPtr pointer, int index) => (char)Marshal.ReadInt16(pointer, index * 2);

        private static string Describe(char c)
        {
            switch (c)
            {
                case '\n': return "a line feed (LF)";
                case '\r': return "a carriage return (CR)";
                case '\t': return "a tab";
                case ' ': return "a space";
                case '\0': return "a NUL character";
                case '\u007f': return "a DEL character";
            }
            if (c < ' ') return $"a control character (U+{(int)c:X4})";
            if (char.IsWhiteSpace(c)) return $"a white-space character (U+{(int)c:X4})";
            return $"a non-ASCII character (U+{(int)c:X4})";
        }

        // A parameter is shown as -Name, an environment variable as $env:NAME.
        private static string Shown(string name) => name.IndexOf('_') >= 0 ? "$env:" + name : "-" + name;

        private static ErrorRecord Empty(string parameterName) => InputValidator.Invalid(ErrorIds.MissingApiToken, parameterName, null,
            $"{Shown(parameterName)} is empty (or only white space).",
            $"Pass the token as a SecureString, e.g. -{parameterName} (Read-Host -AsSecureString) or (Get-Content ./token.txt -Raw | ConvertTo-SecureString -AsPlainText -Force).");

        private static ErrorRecord Refuse(string parameterName, string what, int position) => InputValidator.Invalid(ErrorIds.InvalidTokenValue, parameterName, null,
            $"{Shown(parameterName)} contains {what} at position {position}: a Cloudflare token is printable ASCII without spaces or line breaks. The value was not sent.",
            $"Pass the token exactly as Cloudflare showed it. Surrounding white space (a trailing newline from Get-Content -Raw) is trimmed; anything inside the value is not: check the file or paste.");
    }
}
