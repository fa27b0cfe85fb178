// Flags `hf download` (huggingface_hub's CLI) users type from habit. The ones with an hfx meaning are
// accepted: --max-workers is --max-files; --force-download, --repo-type, --token, --cache-dir, --local-dir,
// --include, --exclude, --dry-run and --quiet are hfx's own flags too. Two are no-ops in huggingface_hub as
// well (deprecated there since 0.23): accepted, with a note on stderr saying what hfx does instead, rather
// than an "unknown option" that sends the user to the help.
import { Option, type Command } from 'commander'

export interface HfDownloadFlags {
  maxWorkers?: number
  resumeDownload?: boolean
  localDirUseSymlinks?: string | boolean
}

export function addHfDownloadFlags(cmd: Command, filesInParallel: (value: string) => number): Command {
  return cmd
    .addOption(new Option('--max-workers <n>', "hf download's name for --max-files").hideHelp().argParser(filesInParallel))
    .addOption(new Option('--resume-download', 'no-op, as in huggingface_hub').hideHelp())
    .addOption(new Option('--local-dir-use-symlinks [value]', 'no-op, as in huggingface_hub').hideHelp())
}

/** One line per no-op flag that was typed, saying what hfx does. */
export function hfDownloadNotes(flags: HfDownloadFlags): string[] {
  return [
    flags.resumeDownload && 'note: --resume-download is not needed: hfx always resumes what an earlier run left.',
    flags.localDirUseSymlinks !== undefined &&
      'note: --local-dir-use-symlinks is ignored: --local-dir always gets plain files; without --local-dir, files go to the cache as symlinks into blobs/.',
  ].filter((n): n is string => Boolean(n))
}
