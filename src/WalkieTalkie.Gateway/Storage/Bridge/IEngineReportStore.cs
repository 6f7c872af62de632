namespace WalkieTalkie.Gateway.Storage.Bridge;

/// <summary>
/// The engine's reports handed over to the Matrix bridge through the shared database, when several gateways share it:
/// whichever gateway makes a report writes it here, and the gateway running the bridge reads them in order, hands each
/// to the bridge's handler and removes it. A report stays until a bridge has handled it, however long no gateway runs
/// the bridge.
/// </summary>
public interface IEngineReportStore
{
    /// <summary>Writes a report (its <c>Id</c> is ignored); durable when it returns.</summary>
    void Add(EngineReport report);

    /// <summary>Up to <paramref name="limit"/> reports of each kind not handled yet, oldest first.</summary>
    IReadOnlyList<EngineReport> Pending(int limit);

    /// <summary>The report was handled: it is never read again.</summary>
    void Remove(long id);
}
