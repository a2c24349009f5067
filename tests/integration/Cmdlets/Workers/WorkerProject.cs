namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>
/// A Worker project on disk for Publish-CfWorker: modules, and a wrangler.toml with every binding kind and a staging
/// environment; plus broken variants for the bad-input cases. Deleted on dispose.
/// </summary>
public sealed class WorkerProject : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cfm-worker-").FullName;

    public const string EveryKindToml = """
        name = "shop"
        main = "src/index.js"
        compatibility_date = "2025-01-01"
        compatibility_flags = ["nodejs_compat"]
        logpush = true
        routes = ["shop.example.com/*"]

        [observability]
        enabled = true

        [vars]
        API_URL = "https://api.example.com"
        LIMITS = { max = 5 }

        [[kv_namespaces]]
        binding = "CACHE"
        id = "0123456789abcdef0123456789abcdef"

        [[d1_databases]]
        binding = "DB"
        database_name = "shop-db"
        database_id = "3f2a1c9e-1111-4000-8000-000000000001"

        [[r2_buckets]]
        binding = "ASSETS"
        bucket_name = "shop-assets"

        [[services]]
        binding = "AUTH"
        service = "auth-worker"

        [[durable_objects.bindings]]
        name = "CART"
        class_name = "Cart"
        script_name = "cart-worker"

        [[queues.producers]]
        binding = "ORDERS"
        queue = "orders"

        [[secrets_store_secrets]]
        binding = "STRIPE_KEY"
        store_id = "aaaabbbbccccddddeeeeffff00001111"
        secret_name = "stripe-key"

        [[analytics_engine_datasets]]
        binding = "EVENTS"
        dataset = "shop_events"

        [[tail_consumers]]
        service = "shop-tail"

        [env.staging]
        [[env.staging.kv_namespaces]]
        binding = "CACHE"
        id = "fedcba9876543210fedcba9876543210"
        [env.staging.vars]
        API_URL = "https://staging.example.com"
        """;

    /// <param name="withLargeModule">Also write src/big.bin (11 MiB of random bytes, imported by src/big.js), over the upload limit.</param>
    public WorkerProject(bool withLargeModule = false)
    {
        Write("src/index.js", "import { greet } from './lib/greet.js';\nimport page from './page.html';\nexport default { fetch() { return new Response(greet() + page); } };\n");
        Write("src/lib/greet.js", "export function greet() { return 'hello'; }\n");
        Write("src/page.html", "<p>hi</p>\n");
        Write("wrangler.toml", EveryKindToml);
        Write("src/broken.js", "// fine\nimport { x } from './missing.js';\n");
        Write("src/outside.js", "import '../elsewhere.js';\n");
        Write("elsewhere.js", "");
        Write("src/json.js", "import d from './d.json';\n");
        Write("src/d.json", "{}");
        Write("bad-syntax.toml", "name = \"shop\"\nmain = \n");
        Write("unsupported.toml", "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-01\"\n[assets]\ndirectory = \"public\"\n");
        Write("dup.toml", "name = \"shop\"\nmain = \"src/index.js\"\ncompatibility_date = \"2025-01-01\"\n[vars]\nCACHE = \"x\"\n[[kv_namespaces]]\nbinding = \"CACHE\"\nid = \"0123456789abcdef0123456789abcdef\"\n");
        Write("nodate.toml", "name = \"shop\"\nmain = \"src/index.js\"\n");
        Write("src/big.js", "import blob from './big.bin';\n");
        if (!withLargeModule) return;
        var random = new byte[11 * 1024 * 1024];
        new Random(8).NextBytes(random);
        File.WriteAllBytes(PathOf("src/big.bin"), random);
    }

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
