using FastAgents.TransportBench.RouterBench;

namespace FastAgents.TransportBench;

// The router's roles and variant, registered through the catalog's extension point.
internal sealed partial class Catalog
{
    partial void RegisterExtensions()
    {
        AddRole(new RoleHandler("router-middle", RouterMiddleRole.Usage, RouterMiddleRole.Run));
        AddRole(new RoleHandler("router-recv", RouterRecvRole.Usage, RouterRecvRole.Run));
        AddRole(new RoleHandler("router-send", RouterSendRole.Usage, RouterSendRole.Run));
        AddRole(new RoleHandler("router-latency", RouterLatencyRole.Usage, RouterLatencyRole.Run));
        AddVariant(new RouterVariant());
    }
}
