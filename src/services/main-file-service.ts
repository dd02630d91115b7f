import { injectable } from 'tsyringe'
import { type MainFile, type MainFileLocation, readMainFile } from '../config/main-file.js'

/**
 * Reads the main config file once per command run and location, for every service that needs it: the
 * plugin allow-list and the full config load see the same bytes, decoded and checked the same way.
 */
@injectable()
export class MainFileService {
  private readonly reads = new Map<string, Promise<MainFile>>()

  read(location: MainFileLocation): Promise<MainFile> {
    const key = JSON.stringify([location.configFile, location.cwd, location.encoding ?? 'utf8'])
    let read = this.reads.get(key)
    if (!read) {
      read = readMainFile(location)
      this.reads.set(key, read)
    }
    return read
  }
}
