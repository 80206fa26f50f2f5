// FastAgents.TransportBench: a multi-process transport benchmark. One executable plays many roles; the first argument
// names the role. `compare` is the orchestrator: it starts this same executable again in the other roles, as separate
// OS processes (fresh ones for every variant in every round), and reads the lines they print on stdout.
//
// Role protocol (stdout):
//   READY                      printed once a peer may connect (middles and receivers); the orchestrator starts the
//                              next process of a variant only after it, so no sleeps are needed.
//   RESULT role=<r> messages=<n> seconds=<s> errors=<n> alloc_bytes=<n>
//                              printed exactly once, over the role's measured window (see MeasuredWindow).
// Anything else on stdout is ignored; stderr is kept and shown when a process fails.
//
// Registration, the one place to extend: Catalog (Catalog.cs) holds the roles, keyed by name (RoleHandler), and the
// variants (subclasses of Compare/Variant), both registered in its constructor. A file that adds roles and variants
// without touching Catalog.cs (RouterRoles.cs adds the router roles and the `router` variant) implements the partial
// method Catalog.RegisterExtensions in its own `partial class Catalog` declaration:
//
//     internal sealed partial class Catalog
//     {
//         partial void RegisterExtensions()
//         {
//             AddRole(new RoleHandler("router-middle", "router-middle --listen PATH ...", RouterMiddleRole.Run));
//             AddVariant(new RouterVariant());
//         }
//     }
//
// A partial method has at most one implementation: a second extension file calls into the first, or moves to Catalog.cs.
using System.Globalization;

namespace FastAgents.TransportBench;

public static class Program
{
    public static int Main(string[] args)
    {
        Catalog catalog = Catalog.Default;
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            WriteUsage(catalog, args.Length == 0 ? Console.Error : Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        if (!catalog.TryGetRole(args[0], out RoleHandler? role))
        {
            Console.Error.WriteLine($"error: unknown role '{args[0]}'.");
            WriteUsage(catalog, Console.Error);
            return 2;
        }

        try
        {
            return role.Run(RoleArguments.Parse(args.AsSpan(1)));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {role.Name}: {e.Message}");
            Console.Error.WriteLine($"usage: {role.Usage}");
            return 2;
        }
    }

    private static void WriteUsage(Catalog catalog, TextWriter writer)
    {
        writer.WriteLine("usage: FastAgents.TransportBench <role> [--option value ...]");
        writer.WriteLine("roles:");
        foreach (RoleHandler role in catalog.Roles)
        {
            writer.WriteLine($"  {role.Usage}");
        }

        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"variants for compare: {string.Join(", ", catalog.Variants.Select(v => v.Name))}"));
    }
}
