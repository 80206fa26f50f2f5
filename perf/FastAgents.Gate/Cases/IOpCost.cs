namespace FastAgents.Gate.Cases;

/// <summary>
/// A cost paid once per operation on our side of a case, as a struct type parameter: <see cref="NoCost"/> compiles to
/// nothing, <see cref="SpinCost"/> is the deliberate slowdown that proves the gate can fail.
/// </summary>
internal interface IOpCost
{
    static abstract void Pay();
}
