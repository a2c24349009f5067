using System;
using System.Runtime.InteropServices;
using System.Security;

namespace CfManagement.Http
{
    /// <summary>Decrypts a SecureString at the last moment, for the one place that must put it on the wire.</summary>
    public static class SecureStringReader
    {
        public static string ToPlainText(SecureString secure)
        {
            if (secure == null) throw new ArgumentNullException(nameof(secure));
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static SecureString FromPlainText(string plain)
        {
            var secure = new SecureString();
            foreach (var c in plain) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Reads only the first characters (the prefix tells cfut_/cfat_ apart) without decrypting the rest into a string.</summary>
        public static string Prefix(SecureString secure, int length)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                var take = Math.Min(length, secure.Length);
                var chars = new char[take];
                Marshal.Copy(ptr, chars, 0, take);
                return new string(chars);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
