using System;

namespace WalkieTalkie.Device.Diagnostics
{
    /// <summary>
    /// Lines to the serial console (what nanoff's monitor or the VS Code extension show). Console, not Debug: Debug
    /// output vanishes in Release builds, and a board in the field is debugged from its log.
    /// </summary>
    public sealed class SerialLog
    {
        /// <summary>Writes one line. Only at events, never per audio frame: building the string allocates.</summary>
        public void Line(string text)
        {
            Console.WriteLine(text);
        }
    }
}
