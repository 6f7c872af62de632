namespace WalkieTalkie.Matrix.Device;

/// <summary>
/// Where a device's received room events are kept before the sync answer that brought them is committed: a caller
/// whose events must not be lost (the gateway's bridge) stores them here, and the device's sync token moves past them
/// only once this returned.
/// </summary>
public interface IReceivedEventSink
{
    /// <summary>
    /// Stores the room events of one sync answer (decrypted), durably or in a durable queue, before the answer is
    /// committed. Called under the device's crypto lock, on its sync loop: keep it to a quick write. Throwing (the
    /// database is away) keeps the answer uncommitted: the machine is read back from the key store and the sync loop
    /// asks for the same answer again with the old token after its backoff, so the same events (and the to-device room
    /// keys they need) come again. Events that were stored before the throw come again too: the sink must take a
    /// repeated event id as a no-op.
    /// </summary>
    void Keep(IReadOnlyList<DeviceRoomEvent> events);
}
