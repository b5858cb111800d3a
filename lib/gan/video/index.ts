// Writers for videos in [-1, 1]: looping GIFs, filmstrip PNGs, and (in browsers) MP4/WebM files.
export { videoToFrames, videoToFrameGrid, floatToRgbaFrames, type RgbaFrame, type FloatVideo, type VideoInput } from "./frames";
export { encodeGif, videoToGif, type GifOptions, type VideoGifOptions } from "./gif";
export { encodeFilmstrip, videoToFilmstrip, type FilmstripOptions } from "./filmstrip";
export { encodeVideoFile, videoToFile, isVideoEncodingAvailable, type EncodeVideoOptions } from "./webcodecs";
export { tileFrames, tileVideos, upscaleFrame, type TileOptions } from "./tile";
