using WalkieTalkie.Badge.Audio;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Device.Diagnostics
{
    /// <summary>
    /// Logs the badge's mode changes and events to the serial console (names spelt out: an enum's ToString is its
    /// number on nanoFramework), and notices a <c>wake</c> for a changed configuration, which the main loop answers
    /// by fetching it. Nothing is logged per audio block.
    /// </summary>
    public sealed class DeviceObserver : IBadgeObserver
    {
        private static readonly string[] ModeNames =
        {
            "connecting", "idle", "requesting", "talking", "denied", "receiving", "revoked", "standby", "pocket",
        };

        private readonly SerialLog _log;
        private bool _configChanged;

        public DeviceObserver(SerialLog log)
        {
            _log = log;
        }

        /// <summary>True once after the gateway said the configuration changed.</summary>
        public bool TakeConfigChanged()
        {
            var changed = _configChanged;
            _configChanged = false;
            return changed;
        }

        /// <summary>The name of a mode for logs.</summary>
        public static string NameOf(BadgeMode mode)
        {
            var index = (int)mode;
            return index >= 0 && index < ModeNames.Length ? ModeNames[index] : "mode " + index;
        }

        /// <inheritdoc />
        public void ModeChanged(BadgeMode from, BadgeMode to)
        {
            _log.Line("badge: " + NameOf(from) + " -> " + NameOf(to));
        }

        /// <inheritdoc />
        public void Event(BadgeEvent kind, byte channel, uint burstId, int value)
        {
            if (kind == BadgeEvent.FrameSent)
            {
                return;
            }

            if (kind == BadgeEvent.WakeReceived && value == (int)WakeReason.Config)
            {
                _configChanged = true;
            }

            _log.Line("badge: event " + (int)kind + " channel " + channel + " burst " + burstId + " value " + value);
        }

        /// <inheritdoc />
        public void BlockCaptured(uint burstId, int sequence, int blockIndex)
        {
        }

        /// <inheritdoc />
        public void BlockPlayed(uint burstId, int sequence, int blockIndex, PullResult result)
        {
        }
    }
}
