namespace WalkieTalkie.Protocol.Control
{
    /// <summary>The type byte of each control message, who sends it, and its name for logs.</summary>
    public static class MessageType
    {
        // Badge to gateway, on wt/v1/{badge}/up/ctl (BadgeState on up/state).
        public const byte FloorRequest = 0x10;
        public const byte FloorRelease = 0x13;
        public const byte SleepAnnouncement = 0x21;
        public const byte PlayRequest = 0x23;
        public const byte Played = 0x24;
        public const byte PermitAccept = 0x31;
        public const byte PermitWithdraw = 0x32;
        public const byte BadgeState = 0x40;
        public const byte DoNotDisturb = 0x61;
        public const byte AccessPoint = 0x62;
        public const byte Emergency = 0x52;
        public const byte ReplyRequest = 0x58;

        // Gateway to badge, on wt/v1/{badge}/down/ctl.
        public const byte FloorGranted = 0x11;
        public const byte FloorDenied = 0x12;
        public const byte FloorRevoked = 0x14;
        public const byte BurstStart = 0x15;
        public const byte BurstEnd = 0x16;
        public const byte Wake = 0x20;
        public const byte UnplayedList = 0x22;
        public const byte PermitOffer = 0x30;
        public const byte PermitRevoked = 0x33;
        public const byte Config = 0x41;
        public const byte ChannelOptions = 0x50;
        public const byte Listeners = 0x51;
        public const byte QuietState = 0x60;
        public const byte EmergencyState = 0x53;
        public const byte TalkerOptions = 0x54;
        public const byte ReplyGranted = 0x59;
        public const byte ReplyDenied = 0x5A;
        public const byte ReplyIncoming = 0x5B;

        /// <summary>True for the types a badge sends.</summary>
        public static bool IsUplink(byte type)
        {
            switch (type)
            {
                case FloorRequest:
                case FloorRelease:
                case SleepAnnouncement:
                case PlayRequest:
                case Played:
                case PermitAccept:
                case PermitWithdraw:
                case BadgeState:
                case DoNotDisturb:
                case AccessPoint:
                case Emergency:
                case ReplyRequest:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>True for the types the gateway sends.</summary>
        public static bool IsDownlink(byte type)
        {
            switch (type)
            {
                case FloorGranted:
                case FloorDenied:
                case FloorRevoked:
                case BurstStart:
                case BurstEnd:
                case Wake:
                case UnplayedList:
                case PermitOffer:
                case PermitRevoked:
                case Config:
                case ChannelOptions:
                case Listeners:
                case QuietState:
                case EmergencyState:
                case TalkerOptions:
                case ReplyGranted:
                case ReplyDenied:
                case ReplyIncoming:
                    return true;
                default:
                    return false;
            }
        }

        public static string Name(byte type)
        {
            switch (type)
            {
                case FloorRequest: return "floor-request";
                case FloorRelease: return "floor-release";
                case SleepAnnouncement: return "sleep";
                case PlayRequest: return "play-request";
                case Played: return "played";
                case PermitAccept: return "permit-accept";
                case PermitWithdraw: return "permit-withdraw";
                case BadgeState: return "badge-state";
                case FloorGranted: return "floor-granted";
                case FloorDenied: return "floor-denied";
                case FloorRevoked: return "floor-revoked";
                case BurstStart: return "burst-start";
                case BurstEnd: return "burst-end";
                case Wake: return "wake";
                case UnplayedList: return "unplayed-list";
                case PermitOffer: return "permit-offer";
                case PermitRevoked: return "permit-revoked";
                case Config: return "config";
                case ChannelOptions: return "channel-options";
                case Listeners: return "listeners";
                case QuietState: return "quiet-state";
                case DoNotDisturb: return "do-not-disturb";
                case AccessPoint: return "access-point";
                case Emergency: return "emergency";
                case EmergencyState: return "emergency-state";
                case TalkerOptions: return "talker-options";
                case ReplyRequest: return "reply-request";
                case ReplyGranted: return "reply-granted";
                case ReplyDenied: return "reply-denied";
                case ReplyIncoming: return "reply-incoming";
                default: return "unknown";
            }
        }
    }
}
