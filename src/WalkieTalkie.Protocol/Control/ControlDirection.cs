namespace WalkieTalkie.Protocol.Control
{
    /// <summary>Which way a control payload travelled, so a reader refuses messages that may not come from there.</summary>
    public enum ControlDirection : byte
    {
        /// <summary>Badge to gateway: the gateway reads these.</summary>
        Uplink = 1,

        /// <summary>Gateway to badge: the badge reads these.</summary>
        Downlink = 2,
    }
}
