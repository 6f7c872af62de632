using System.ComponentModel.DataAnnotations;

namespace WalkieTalkie.Gateway.Floor;

/// <summary>Floor timing (configuration section <c>Floor</c>).</summary>
public sealed class FloorOptions
{
    /// <summary>A holder whose frames stop for this long loses the floor.</summary>
    [Range(0.1, 60)]
    public double LeaseSeconds { get; set; } = 1.5;

    /// <summary>
    /// After being cut at the maximum talk time, a badge is denied (too long) for this long. Bursts of one badge on a
    /// channel that start less than this after its previous one ended are one turn: their talk time adds up against
    /// the channel's maximum.
    /// </summary>
    [Range(0, 3600)]
    public double CoolDownSeconds { get; set; } = 5;

    /// <summary>A grant with no first frame yet gets this long before the lease runs (time to start the microphone).</summary>
    [Range(0.1, 60)]
    public double FirstFrameGraceSeconds { get; set; } = 3;

    /// <summary>
    /// When someone asked for a channel while it was held, the holder may not take it again for this long after its
    /// burst ends: those who waited go first.
    /// </summary>
    [Range(0, 60)]
    public double HoldOffSeconds { get; set; } = 3;
}
