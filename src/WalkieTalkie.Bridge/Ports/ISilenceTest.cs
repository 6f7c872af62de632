using WalkieTalkie.Bridge.Outgoing;

namespace WalkieTalkie.Bridge.Ports;

/// <summary>The media pipeline's test for a burst that holds nothing but silence (such bursts are not sent).</summary>
public interface ISilenceTest
{
    /// <summary>True when the recording is silence only.</summary>
    ValueTask<bool> IsSilenceOnlyAsync(FinishedBurst burst, CancellationToken cancellationToken);
}
