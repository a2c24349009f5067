using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CfManagement.Workers.Modules
{
    /// <summary>
    /// The modules of a Worker uploaded without bundling: the main module and, transitively, every file it imports by
    /// a relative path, read from disk as they are. Names are paths relative to the module root with '/' separators,
    /// main first, then in the order they are first imported, so the same files always give the same upload.
    /// </summary>
    public sealed class ModuleGraph
    {
        private ModuleGraph(IReadOnlyList<WorkerModule> modules, IReadOnlyList<string> external)
        {
            Modules = modules;
            External = external;
        }

        public IReadOnlyList<WorkerModule> Modules { get; }

        /// <summary>Specifiers that are not files of the upload (cloudflare:workers, node:crypto, packages): the runtime resolves them.</summary>
        public IReadOnlyList<string> External { get; }

        public WorkerModule Main => Modules[0];

        public static ModuleGraph Collect(string mainPath, string? rootDirectory = null)
        {
            var main = Path.GetFullPath(mainPath);
            if (!File.Exists(main))
                throw new WorkerInputException(WorkerInputFault.MainNotFound, "Main", $"The main module '{mainPath}' does not exist.",
                    "Pass the path of the Worker's entry module (-Main, or main in the config).", mainPath);
            var mainType = ModuleTypes.Of(main);
            if (mainType != ModuleTypes.EsModule)
                throw new WorkerInputException(WorkerInputFault.ModuleTypeUnsupported, "Main",
                    $"The main module '{mainPath}' is not an ES module (.js or .mjs).",
                    "Publish-CfWorker uploads module Workers: point main at the .js/.mjs file that has the export default handler.", mainPath);
            var root = Path.GetFullPath(rootDirectory ?? Path.GetDirectoryName(main)!);
            if (!IsUnder(main, root))
                throw new WorkerInputException(WorkerInputFault.ModuleOutsideRoot, "Main",
                    $"The main module '{mainPath}' is outside the module root '{root}' (base_dir).", "Set base_dir to a folder that contains main.", mainPath);

            var modules = new List<WorkerModule>();
            var external = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal) { main };
            var queue = new Queue<string>();
            queue.Enqueue(main);
            while (queue.Count > 0)
            {
                var path = queue.Dequeue();
                var type = ModuleTypes.Of(path)!;
                var content = File.ReadAllBytes(path);
                modules.Add(new WorkerModule(NameOf(path, root), path, type, content));
                if (!ModuleTypes.IsJavaScript(type)) continue;
                foreach (var import in ImportScanner.Scan(Decode(content)))
                {
                    if (!import.IsRelative)
                    {
                        if (!external.Contains(import.Specifier)) external.Add(import.Specifier);
                        continue;
                    }
                    var target = Resolve(path, import, root);
                    if (seen.Add(target)) queue.Enqueue(target);
                }
            }
            return new ModuleGraph(modules, external);
        }

        private static string Resolve(string importer, ModuleImport import, string root)
        {
            var specifier = import.Specifier;
            var query = specifier.IndexOf('?');
            if (query >= 0) specifier = specifier.Substring(0, query); // "./x.wasm?module": the query selects the type, not the file
            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(importer)!, specifier));
            var where = $"{importer} line {import.Line}";
            if (!File.Exists(target))
                throw new WorkerInputException(WorkerInputFault.ModuleNotFound, "Main",
                    $"{where} imports '{import.Specifier}', which does not exist ({target}).",
                    "Fix the import path (without bundling, imports must name the file exactly, extension included), or add the file.", importer, import.Line);
            if (!IsUnder(target, root))
                throw new WorkerInputException(WorkerInputFault.ModuleOutsideRoot, "Main",
                    $"{where} imports '{import.Specifier}', which is outside the module root '{root}'.",
                    "Move the file under the module root, or set base_dir to a folder that contains every module.", importer, import.Line);
            if (ModuleTypes.Of(target) == null)
                throw new WorkerInputException(WorkerInputFault.ModuleTypeUnsupported, "Main",
                    $"{where} imports '{import.Specifier}', a kind of file an unbundled upload cannot carry.",
                    "Modules may be .js, .mjs, .cjs, .wasm, .txt, .html, .sql or .bin (JSON: import a .txt copy and JSON.parse it).", importer, import.Line);
            return target;
        }

        private static string NameOf(string path, string root) =>
            path.Substring(root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Length).TrimStart('/', '\\').Replace('\\', '/');

        private static bool IsUnder(string path, string root)
        {
            var prefix = root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return path.StartsWith(prefix, comparison);
        }

        private static string Decode(byte[] content) => new UTF8Encoding(false, false).GetString(content);
    }
}
