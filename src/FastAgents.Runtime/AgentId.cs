using System.Globalization;
using System.Runtime.InteropServices;

namespace FastAgents.Runtime;

/// <summary>
/// The address of one agent: its type and a key within that type, packed into 64 bits so that it fits in
/// an envelope header and compares with one instruction. Agents of a type are <c>type/0</c>, <c>type/1</c>,
/// and so on; a keyed agent (one per user, per conversation) uses a key derived from its name with
/// <see cref="AgentType.KeyOf(string)"/>.
/// </summary>
/// <remarks>
/// On the wire an agent id is the little-endian 64-bit <see cref="Value"/>: the type id in the high 32
/// bits, the key in the low 32. <see cref="None"/> (zero) means "no agent" (an envelope sent from outside
/// any agent). Type ids come from <see cref="AgentType"/>.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = 8)]
public readonly record struct AgentId
{
    /// <summary>No agent: the sender of a message sent from outside the runtime.</summary>
    public static readonly AgentId None;

    /// <summary>Creates the id of agent <paramref name="key"/> of type <paramref name="type"/>.</summary>
    public AgentId(AgentType type, uint key) => Value = ((ulong)type.Id << 32) | key;

    /// <summary>Creates an id from its 64-bit wire value.</summary>
    public AgentId(ulong value) => Value = value;

    /// <summary>The packed value: the type id in the high 32 bits, the key in the low 32.</summary>
    public ulong Value { get; }

    /// <summary>The agent's type id.</summary>
    public uint TypeId => (uint)(Value >> 32);

    /// <summary>The agent's key within its type.</summary>
    public uint Key => (uint)Value;

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    /// <summary>Formats as <c>type/key</c> with the type's registered name when known, else its id in hex.</summary>
    public override string ToString()
    {
        if (IsNone)
        {
            return "none";
        }

        string type = AgentType.TryGetName(TypeId, out string? name) ? name : TypeId.ToString("x8", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{type}/{Key}");
    }
}
