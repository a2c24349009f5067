using CfManagement.Emulator.Accounts;
using CfManagement.Emulator.D1;
using CfManagement.Emulator.SecretsStore;
using CfManagement.Emulator.Pages;
using CfManagement.Emulator.Tokens;
using CfManagement.Emulator.Workers;
using CfManagement.Emulator.Zones;

namespace CfManagement.Emulator.Routing;

/// <summary>Every emulated /client/v4 route.</summary>
internal static class ApiRoutes
{
    public static RouteTable Build()
    {
        var routes = new RouteTable();
        UserRoutes.Register(routes);
        AccountRoutes.Register(routes);
        TokenRoutes.Register(routes);
        ZoneRoutes.Register(routes);
        D1Routes.Register(routes);
        WorkerScriptRoutes.Register(routes);
        WorkerSecretRoutes.Register(routes);
        WorkerVersionRoutes.Register(routes);
        WorkerDeploymentRoutes.Register(routes);
        WorkerSettingsRoutes.Register(routes);
        WorkerLatestVersionRoutes.Register(routes);
        MembershipRoutes.Register(routes);
        SecretsStoreRoutes.Register(routes);
        SecretsStoreSecretRoutes.Register(routes);
        PagesProjectRoutes.Register(routes);
        WorkersDevSubdomainRoutes.Register(routes);
        Tail.TailRoutes.Register(routes);
        Access.AccessServiceTokenRoutes.Register(routes);
        Access.AccessApplicationRoutes.Register(routes);
        return routes;
    }
}
