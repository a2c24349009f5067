using CfManagement.Workers;
using CfManagement.Workers.Modules;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>The modules an unbundled upload carries: main and what it imports by relative path, found on disk.</summary>
public class ModuleGraphTests
{
    [Fact]
    public void Collects_every_relative_import_transitively_main_first_in_import_order()
    {
        using var p = new TempProject();
        var main = p.Write("src/index.js", """
            import { a } from "./lib/a.js";
            import words from './data/words.txt';
            import wasm from "./bin/add.wasm?module";
            import { DurableObject } from "cloudflare:workers";
            import { Buffer } from "node:buffer";
            export * from "./lib/reexport.mjs";
            export default { fetch() { return import("./lib/lazy.js"); } };
            """);
        p.Write("lib/outside.js", "");
        p.Write("src/lib/a.js", "import {\n  b,\n} from '../lib/b.mjs';\nexport const a = b;");
        p.Write("src/lib/b.mjs", "import './a.js'; export const b = 1;"); // a cycle: each module once
        p.Write("src/lib/reexport.mjs", "export { x } from './cjs.cjs';");
        p.Write("src/lib/cjs.cjs", "module.exports = require('./blob.bin');");
        p.WriteBytes("src/lib/blob.bin", new byte[] { 0, 1, 2 });
        p.Write("src/lib/lazy.js", "export const lazy = 1;");
        p.Write("src/data/words.txt", "hello");
        p.WriteBytes("src/bin/add.wasm", new byte[] { 0, 0x61, 0x73, 0x6d });

        var graph = ModuleGraph.Collect(main);
        Assert.Equal(new[]
        {
            "index.js:application/javascript+module", "lib/a.js:application/javascript+module", "data/words.txt:text/plain",
            "bin/add.wasm:application/wasm", "lib/reexport.mjs:application/javascript+module", "lib/lazy.js:application/javascript+module",
            "lib/b.mjs:application/javascript+module", "lib/cjs.cjs:application/javascript", "lib/blob.bin:application/octet-stream",
        }, graph.Modules.Select(m => $"{m.Name}:{m.ContentType}"));
        Assert.Equal(new[] { "cloudflare:workers", "node:buffer" }, graph.External);
        Assert.Equal(new byte[] { 0, 1, 2 }, graph.Modules.Single(m => m.Name == "lib/blob.bin").Content);
    }

    [Fact]
    public void Imports_in_comments_are_ignored_and_strings_that_look_like_comments_are_not_comments()
    {
        using var p = new TempProject();
        var main = p.Write("index.js", """
            // import "./gone.js";
            /* import "./gone2.js";
               export * from "./gone3.js"; */
            const url = "https://example.com/*not a comment*/";
            import "./real.js";
            """);
        p.Write("real.js", "");
        Assert.Equal(new[] { "index.js", "real.js" }, ModuleGraph.Collect(main).Modules.Select(m => m.Name));
    }

    [Fact]
    public void A_missing_import_is_refused_with_the_importing_file_and_line()
    {
        using var p = new TempProject();
        var main = p.Write("index.js", "import './a.js';\n");
        var a = p.Write("a.js", "// one\n/* two\n three */\nimport { x } from './missing.js';\n");
        var ex = Assert.Throws<WorkerInputException>(() => ModuleGraph.Collect(main));
        Assert.Equal(WorkerInputFault.ModuleNotFound, ex.Fault);
        Assert.Equal(a, ex.File);
        Assert.Equal(4, ex.Line);
        Assert.Contains($"{a} line 4", ex.Message);
        Assert.Contains("./missing.js", ex.Message);
    }

    [Fact]
    public void An_import_without_its_extension_is_refused_because_nothing_resolves_it()
    {
        using var p = new TempProject();
        p.Write("util.js", "");
        var ex = Assert.Throws<WorkerInputException>(() => ModuleGraph.Collect(p.Write("index.js", "import './util';")));
        Assert.Equal(WorkerInputFault.ModuleNotFound, ex.Fault);
    }

    [Fact]
    public void An_import_outside_the_module_root_is_refused()
    {
        using var p = new TempProject();
        p.Write("shared.js", "");
        var ex = Assert.Throws<WorkerInputException>(() => ModuleGraph.Collect(p.Write("src/index.js", "import '../shared.js';")));
        Assert.Equal(WorkerInputFault.ModuleOutsideRoot, ex.Fault);
        Assert.Equal(1, ex.Line);
        // ... unless base_dir is the folder above
        Assert.Equal(new[] { "src/index.js", "shared.js" }, ModuleGraph.Collect(p.PathOf("src/index.js"), p.Root).Modules.Select(m => m.Name));
    }

    [Theory]
    [InlineData("data.json")]
    [InlineData("style.css")]
    public void An_import_of_a_kind_the_upload_cannot_carry_is_refused(string file)
    {
        using var p = new TempProject();
        p.Write(file, "{}");
        var ex = Assert.Throws<WorkerInputException>(() => ModuleGraph.Collect(p.Write("index.js", $"import d from './{file}';")));
        Assert.Equal(WorkerInputFault.ModuleTypeUnsupported, ex.Fault);
    }

    [Fact]
    public void A_missing_or_non_module_main_is_refused()
    {
        using var p = new TempProject();
        Assert.Equal(WorkerInputFault.MainNotFound, Assert.Throws<WorkerInputException>(() => ModuleGraph.Collect(p.PathOf("nope.js"))).Fault);
        Assert.Equal(WorkerInputFault.ModuleTypeUnsupported, Assert.Throws<WorkerInputException>(() => ModuleGraph.Collect(p.Write("worker.ts", ""))).Fault);
    }
}
