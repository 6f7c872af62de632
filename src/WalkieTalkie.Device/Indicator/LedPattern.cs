using WalkieTalkie.Badge.Hardware;

namespace WalkieTalkie.Device.Indicator
{
    /// <summary>What the single status LED shows for each <see cref="LedState"/>: on/off as a function of time.</summary>
    public static class LedPattern
    {
        /// <summary>True when the LED is lit <paramref name="millisecondsInState"/> after <paramref name="state"/> began.</summary>
        public static bool IsLit(LedState state, long millisecondsInState)
        {
            switch (state)
            {
                case LedState.Talking:
                    return true;
                case LedState.Connecting:
                    return Blink(millisecondsInState, 1000, 500);
                case LedState.Idle:
                    return Blink(millisecondsInState, 3000, 60);
                case LedState.Requesting:
                    return Blink(millisecondsInState, 200, 100);
                case LedState.Receiving:
                    return Blink(millisecondsInState, 1000, 800);
                case LedState.Busy:
                    return Blink(millisecondsInState, 120, 60);
                case LedState.Offline:
                    // Two short blips every two seconds.
                    var phase = millisecondsInState % 2000;
                    return phase < 80 || (phase >= 240 && phase < 320);
                case LedState.Standby:
                    return Blink(millisecondsInState, 10000, 40);
                case LedState.PermitOffer:
                    return Blink(millisecondsInState, 500, 250);
                case LedState.Quiet:
                    return Blink(millisecondsInState, 6000, 60);
                case LedState.QuietWaiting:
                    // A double blip every three seconds: quiet, and bursts wait for its end.
                    var quietPhase = millisecondsInState % 3000;
                    return quietPhase < 60 || (quietPhase >= 200 && quietPhase < 260);
                case LedState.Emergency:
                    // Two quick flashes every second while the badge's own emergency is open.
                    var emergencyPhase = millisecondsInState % 1000;
                    return emergencyPhase < 150 || (emergencyPhase >= 300 && emergencyPhase < 450);
                case LedState.PrivateTalking:
                    // Lit, with a short dark gap each second: talking, to one person.
                    return !Blink(millisecondsInState, 1000, 100);
                case LedState.PrivateReceiving:
                    // Two long pulses a second: a burst meant for this badge alone.
                    return Blink(millisecondsInState, 500, 300);
                default:
                    return false;
            }
        }

        private static bool Blink(long milliseconds, int period, int on)
        {
            return milliseconds % period < on;
        }
    }
}
