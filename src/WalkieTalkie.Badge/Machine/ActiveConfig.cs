using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Frames;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// The configuration in force (the cached one until the gateway sends another) and the channel selected in it,
    /// with the badge's own defaults where the configuration says nothing.
    /// </summary>
    public sealed class ActiveConfig
    {
        private readonly int _defaultBlocksPerFrame;
        private readonly int _defaultMaxTalkSeconds;
        private Config _config = new Config();
        private ChannelOptions _options = new ChannelOptions();
        private byte _talkerFlags;
        private int _selected;

        public ActiveConfig(int defaultBlocksPerFrame, int defaultMaxTalkSeconds)
        {
            _defaultBlocksPerFrame = defaultBlocksPerFrame;
            _defaultMaxTalkSeconds = defaultMaxTalkSeconds;
        }

        public Config Config
        {
            get { return _config; }
        }

        /// <summary>The channel push-to-talk talks on, or -1 while the badge knows no channel.</summary>
        public int SelectedChannel
        {
            get { return _config.Channels.Length == 0 ? -1 : _config.Channels[_selected].Channel; }
        }

        /// <summary>Where the selected channel stands in the configuration's list.</summary>
        public int SelectedIndex
        {
            get { return _selected; }
        }

        /// <summary>Blocks per frame to talk with, within what a frame can hold.</summary>
        public int BlocksPerFrame
        {
            get
            {
                int blocks = _config.BlocksPerFrame == 0 ? _defaultBlocksPerFrame : _config.BlocksPerFrame;
                return blocks < 1 ? 1 : (blocks > AudioFrame.MaxBlocks ? AudioFrame.MaxBlocks : blocks);
            }
        }

        /// <summary>The badge's own talk time limit (a grant may set a lower one).</summary>
        public int MaxTalkSeconds
        {
            get { return _config.MaxTalkSeconds == 0 ? _defaultMaxTalkSeconds : _config.MaxTalkSeconds; }
        }

        /// <summary>Takes a configuration in; the selected channel stays selected when it is still there, else the first is.</summary>
        public void Apply(Config config)
        {
            var selected = SelectedChannel;
            _config = config;
            _selected = 0;
            for (var i = 0; i < config.Channels.Length; i++)
            {
                if (config.Channels[i].Channel == selected)
                {
                    _selected = i;
                }
            }
        }

        /// <summary>Takes the gateway's per channel options in; a channel they do not list keeps the defaults.</summary>
        public void Apply(ChannelOptions options)
        {
            _options = options;
        }

        /// <summary>Takes what the gateway says this badge may do as a talker.</summary>
        public void Apply(TalkerOptions options)
        {
            _talkerFlags = options.Flags;
        }

        /// <summary>True for a priority talker: push-to-talk while hearing a burst asks for the floor instead of answering busy.</summary>
        public bool MayOverride
        {
            get { return (_talkerFlags & TalkerOptions.Override) != 0; }
        }

        /// <summary>True when listeners on <paramref name="channel"/> hear the end-of-burst tone.</summary>
        public bool PlaysEndTone(byte channel)
        {
            return (_options.FlagsOf(channel) & ChannelFlags.EndTone) != 0;
        }

        /// <summary>Selects the next channel, round the list; false when there is no other channel to select.</summary>
        public bool SelectNext()
        {
            if (_config.Channels.Length < 2)
            {
                return false;
            }

            _selected = (_selected + 1) % _config.Channels.Length;
            return true;
        }

        /// <summary>The sample rate code of <paramref name="channel"/> (narrowband for a channel the configuration does not know).</summary>
        public byte RateCodeOf(byte channel)
        {
            var config = _config.Find(channel);
            return config == null ? SampleRate.Narrowband : config.RateCode;
        }
    }
}
