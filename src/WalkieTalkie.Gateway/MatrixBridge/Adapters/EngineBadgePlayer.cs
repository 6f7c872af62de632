using WalkieTalkie.Bridge.Ports;
using WalkieTalkie.Gateway.Engine;

namespace WalkieTalkie.Gateway.MatrixBridge.Adapters;

/// <summary>
/// The bridge's <see cref="IBadgePlayer"/> on the gateway engine: a voice message is queued for the channel's floor
/// and played as a burst of the Matrix sender (see <see cref="GatewayEngine.QueueAudioAsync"/>).
/// </summary>
public sealed class EngineBadgePlayer(GatewayEngine engine) : IBadgePlayer
{
    /// <summary>The engine that plays, and reports <c>played</c> to its observers (<see cref="IGatewayObserver.OnBurstPlayed"/>).</summary>
    public GatewayEngine Engine => engine;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No such channel, another sample rate, or no playable blocks.</exception>
    /// <exception cref="PlaybackQueueFullException">Too many messages wait for the channel's floor (try again later).</exception>
    public async ValueTask<uint> QueueAsync(string channel, ChannelAudio audio, string talkerName, string senderUserId, string eventId,
        CancellationToken cancellationToken) =>
        await engine.QueueAudioAsync(channel, audio.AdpcmBlocks, audio.SampleRate, talkerName, senderUserId, eventId, cancellationToken);

    /// <summary>Queues audio that is no room event (nothing names it to other sites).</summary>
    public async ValueTask<uint> QueueAsync(string channel, ChannelAudio audio, string talkerName, string? senderUserId, CancellationToken cancellationToken) =>
        await engine.QueueAudioAsync(channel, audio.AdpcmBlocks, audio.SampleRate, talkerName, senderUserId, null, cancellationToken);

    /// <summary>Queues audio of a sender whose user id is not known (a reply to it is refused as unreachable).</summary>
    public ValueTask<uint> QueueAsync(string channel, ChannelAudio audio, string talkerName, CancellationToken cancellationToken) =>
        QueueAsync(channel, audio, talkerName, null, cancellationToken);
}
