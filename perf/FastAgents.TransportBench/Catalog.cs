using System.Diagnostics.CodeAnalysis;
using FastAgents.TransportBench.Compare;
using FastAgents.TransportBench.Http;
using FastAgents.TransportBench.Relay;

namespace FastAgents.TransportBench;

/// <summary>
/// Every role the executable can play and every variant <c>compare</c> can run, registered in one place. Other files
/// extend it through <see cref="RegisterExtensions"/> (see the comment at the top of Program.cs).
/// </summary>
internal sealed partial class Catalog
{
    private readonly List<RoleHandler> _roles = [];
    private readonly List<Variant> _variants = [];

    private Catalog()
    {
        AddRole(new RoleHandler("relay-middle", RelayMiddleRole.Usage, RelayMiddleRole.Run));
        AddRole(new RoleHandler("relay-recv", RelayRecvRole.Usage, RelayRecvRole.Run));
        AddRole(new RoleHandler("relay-send", RelaySendRole.Usage, RelaySendRole.Run));
        AddRole(new RoleHandler("http-recv", HttpRecvRole.Usage, HttpRecvRole.Run));
        AddRole(new RoleHandler("http-send", HttpSendRole.Usage, HttpSendRole.Run));
        AddRole(new RoleHandler("compare", CompareRole.Usage, CompareRole.Run));

        // Order matters only for the report; the orchestrator rotates the start order every round.
        AddVariant(new RelayVariant());
        AddVariant(new HttpVariant());

        RegisterExtensions();
    }

    public static Catalog Default { get; } = new();

    public IReadOnlyList<RoleHandler> Roles => _roles;

    public IReadOnlyList<Variant> Variants => _variants;

    public bool TryGetRole(string name, [NotNullWhen(true)] out RoleHandler? role)
    {
        role = _roles.Find(r => string.Equals(r.Name, name, StringComparison.Ordinal));
        return role is not null;
    }

    private void AddRole(RoleHandler role)
    {
        if (TryGetRole(role.Name, out _))
        {
            throw new InvalidOperationException($"Role '{role.Name}' is registered twice.");
        }

        _roles.Add(role);
    }

    private void AddVariant(Variant variant)
    {
        if (_variants.Exists(v => string.Equals(v.Name, variant.Name, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"Variant '{variant.Name}' is registered twice.");
        }

        _variants.Add(variant);
    }

    /// <summary>Implemented, if at all, by one extension file (RouterRoles.cs) to add its roles and variants.</summary>
    partial void RegisterExtensions();
}
