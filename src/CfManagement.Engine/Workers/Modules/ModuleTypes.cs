using System;
using System.IO;

namespace CfManagement.Workers.Modules
{
    /// <summary>
    /// Content types by file extension, as wrangler's default module rules and moduleTypeMimeType map them:
    /// .js/.mjs ES modules, .cjs CommonJS, .wasm compiled WebAssembly, .txt/.html/.sql text, .bin data.
    /// </summary>
    public static class ModuleTypes
    {
        public const string EsModule = "application/javascript+module";
        public const string CommonJs = "application/javascript";
        public const string Wasm = "application/wasm";
        public const string Text = "text/plain";
        public const string Data = "application/octet-stream";

        /// <summary>The content type, or null when the upload has no module type for the extension.</summary>
        public static string? Of(string path)
        {
            switch (Path.GetExtension(path).ToLowerInvariant())
            {
                case ".js":
                case ".mjs": return EsModule;
                case ".cjs": return CommonJs;
                case ".wasm": return Wasm;
                case ".txt":
                case ".html":
                case ".sql": return Text;
                case ".bin": return Data;
                default: return null;
            }
        }

        /// <summary>Modules whose text may import others.</summary>
        public static bool IsJavaScript(string contentType) =>
            string.Equals(contentType, EsModule, StringComparison.Ordinal) || string.Equals(contentType, CommonJs, StringComparison.Ordinal);
    }
}
