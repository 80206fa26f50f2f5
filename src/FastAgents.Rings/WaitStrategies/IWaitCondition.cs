namespace FastAgents.Rings;

/// <summary>
/// What <see cref="SpinThenParkWait.WaitUntil{TCondition}"/> waits for, on a struct so the check inlines:
/// for example "any of these rings has an unread event, or we are stopping". It is evaluated again after
/// the waiter announces that it is parking, so anything that can make it true must be followed by a
/// signal on the same strategy (a publish through a sequencer that uses it, or
/// <see cref="IWaitStrategy.SignalAllWhenBlocking"/>).
/// </summary>
public interface IWaitCondition
{
    /// <summary>True when the wait is over. Called many times; must not block.</summary>
    bool IsSatisfied();
}
